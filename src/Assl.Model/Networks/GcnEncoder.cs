using Assl.Model.Skeletons;
using Assl.Model.Tensors;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Assl.Model.Networks;

/// <summary>
/// A spatial-temporal graph-convolution encoder (ST-GCN style): each block mixes every joint with its
/// neighbours in the layout's kinematic tree, then convolves each joint over time; the feature is the
/// average over frames and joints of the last block. Each joint reads its position, and optionally its bone (the
/// vector from its parent) and its motion (the change since the previous frame).
/// </summary>
/// <remarks>
/// Widths: the first half of the blocks have <see cref="EncoderConfig.Hidden"/>/2 channels, the rest
/// <see cref="EncoderConfig.Hidden"/>, and the first wide block halves the frame rate, so most of the
/// arithmetic runs on the shorter sequence. Group normalisation by default instead of ST-GCN's batch
/// normalisation (<see cref="EncoderConfig.Norm"/>): the inpainting pass feeds masked sequences through the same
/// encoder, and batch statistics would mix them into what serving later normalises with.
/// </remarks>
public sealed class GcnEncoder : SequenceEncoder
{
    private readonly ModuleList<GraphBlock> blocks;
    private readonly int _joints;
    private readonly int _hidden;
    private readonly long[] _parents;
    private readonly bool _bones;
    private readonly bool _motion;

    public GcnEncoder(EncoderConfig config, int inputChannels) : base(nameof(GcnEncoder))
    {
        _joints = inputChannels / 3;
        _hidden = config.Hidden;
        var layout = JointLayouts.ForJointCount(_joints)
            ?? throw new ArgumentException($"A graph encoder needs a known joint layout; none has {_joints} joints.");
        var partitions = SpatialPartitions(layout);
        // The root is its own parent, so its bone is zero.
        _parents = layout.Parents.Select((p, j) => (long)(p < 0 ? j : p)).ToArray();
        _bones = config.Bones;
        _motion = config.Motion;

        blocks = new ModuleList<GraphBlock>();
        int wideFrom = config.Layers / 2;
        long width = 3 * (1 + (config.Bones ? 1 : 0) + (config.Motion ? 1 : 0));
        for (int i = 0; i < config.Layers; i++)
        {
            long next = i < wideFrom ? Math.Max(1, config.Hidden / 2) : config.Hidden;
            int stride = i == wideFrom && config.Layers > 1 ? 2 : 1;
            blocks.Add(new GraphBlock($"block{i}", width, next, partitions, _joints, stride, config.Dropout, withResidual: i > 0,
                batchNorm: string.Equals(config.Norm, "batch", StringComparison.OrdinalIgnoreCase)));
            width = next;
        }
        RegisterComponents();
        // Its convolutions are the first in the process to reach NNPACK; where NNPACK cannot start, libtorch would
        // log that on every inference pass of 16 windows or more.
        Nnpack.TurnOffWhereUnavailable();
    }

    public override int OutputSize => _hidden;

    public override Tensor forward(Tensor x)
    {
        // x: (N, T, J·3) → (N, 3, T, J) → blocks → mean over T and J → (N, H)
        if (x.dim() != 3) throw new ArgumentException($"GcnEncoder expects (N, T, C), got {x.dim()} dims.");
        using var scope = NewDisposeScope();
        // Each block's input is freed once its output exists: a pass then holds one block's activations at a time.
        var h = JointFeatures(x, _parents, _bones, _motion).ThenFree(f => f.permute(0, 3, 1, 2)).ThenFree(p => p.contiguous());
        foreach (var block in blocks) h = h.ThenFree(block.forward);
        return h.ThenFree(last => last.mean([2, 3])).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// (N, T, J·3) → (N, T, J, F): each joint's position, then optionally its bone (position minus its parent's;
    /// <paramref name="parents"/> names the root as its own parent) and its motion (zero at the first frame).
    /// </summary>
    internal static Tensor JointFeatures(Tensor x, long[] parents, bool bones, bool motion)
    {
        using var scope = NewDisposeScope();
        var joints = x.view(x.shape[0], x.shape[1], parents.Length, 3);
        var features = new List<Tensor> { joints };
        if (bones) features.Add(joints - joints.index_select(2, tensor(parents, device: x.device)));
        if (motion) features.Add(GruEncoder.Motion(x).view(joints.shape));
        return cat(features, 3).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// ST-GCN's spatial partitions as three row-normalised (J, J) matrices, flattened: each joint itself; its
    /// parent (towards the root); its children (away from it). Row j of a partition averages what joint j
    /// receives from that side.
    /// </summary>
    public static float[] SpatialPartitions(JointLayout layout)
    {
        int j = layout.JointCount;
        var a = new float[3 * j * j];
        for (int joint = 0; joint < j; joint++)
        {
            a[joint * j + joint] = 1f;
            int parent = layout.Parents[joint];
            if (parent < 0) continue;
            a[j * j + joint * j + parent] = 1f;
            a[2 * j * j + parent * j + joint] = 1f;
        }
        for (int k = 1; k < 3; k++)
            for (int row = 0; row < j; row++)
            {
                int offset = k * j * j + row * j;
                float sum = 0;
                for (int col = 0; col < j; col++) sum += a[offset + col];
                if (sum > 0) for (int col = 0; col < j; col++) a[offset + col] /= sum;
            }
        return a;
    }

    /// <summary>
    /// The graph convolution's aggregation: (N, K, C, T, J) features, one set per partition, and (K, J, J) weighted
    /// partitions → (N, C, T, J), where joint j receives Σ_k Σ_i x_k[…, i] · A_k[j, i].
    /// </summary>
    internal static Tensor Gather(Tensor perPartition, Tensor graph)
    {
        long n = perPartition.shape[0], k = perPartition.shape[1], c = perPartition.shape[2], t = perPartition.shape[3], j = perPartition.shape[4];
        using var flat = perPartition.reshape(n, k, c * t, j);
        using var transposed = graph.transpose(1, 2);
        using var product = matmul(flat, transposed);
        using var summed = product.sum(1);
        return summed.view(n, c, t, j);
    }

    /// <summary>
    /// The same graph convolution as a 1×1 convolution to K·C_out channels followed by <see cref="Gather"/>, computed
    /// in the other order: each joint first gathers its neighbours' C_in input channels per partition, then one 1×1
    /// convolution mixes the K·C_in gathered channels. The weights are the convolution's own, (K·C_out, C_in, 1, 1),
    /// so checkpoints do not depend on the order; the bias, added before the gathering in the other order, is
    /// scaled by each partition's row sum. Cheaper when C_in is smaller than C_out: the gathering, a skinny product
    /// over joints, then runs on fewer channels (measured on 2 cores: forward and backward of a 32 → 64 block
    /// 2.7 times faster).
    /// </summary>
    internal static Tensor GatherThenMix(Tensor x, Tensor graph, Tensor weight, Tensor? bias)
    {
        // x: (N, C_in, T, J); graph: (K, J, J) with row w receiving from column v.
        using var scope = NewDisposeScope();
        long n = x.shape[0], cIn = x.shape[1], t = x.shape[2], j = x.shape[3], k = graph.shape[0];
        long cOut = weight.shape[0] / k;
        var receive = graph.permute(2, 0, 1).reshape(j, k * j); // [v, k·J + w] = graph[k, w, v]
        var gathered = matmul(x, receive)
            .ThenFree(m => m.view(n, cIn, t, k, j))
            .ThenFree(m => m.permute(0, 3, 1, 2, 4))
            .ThenFree(m => m.reshape(n, k * cIn, t, j));
        var mixing = weight.view(k, cOut, cIn).permute(1, 0, 2).reshape(cOut, k * cIn, 1, 1);
        var y = gathered.ThenFree(g => nn.functional.conv2d(g, mixing));
        if (bias is not null)
        {
            var rowSums = graph.sum(2); // (K, J)
            var perJoint = matmul(bias.view(k, cOut).t(), rowSums).view(1, cOut, 1, j);
            y = y.ThenFree(withoutBias => withoutBias.Plus(perJoint));
        }
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>Graph convolution over joints, temporal convolution over frames, residual, ReLU.</summary>
    private sealed class GraphBlock : nn.Module<Tensor, Tensor>
    {
        private const int Partitions = 3;
        private const int TemporalKernel = 9;

        private readonly Conv2d spatial;
        private readonly Parameter importance;
        private readonly nn.Module<Tensor, Tensor> spatial_norm;
        private readonly Conv2d temporal;
        private readonly nn.Module<Tensor, Tensor> temporal_norm;
        private readonly Dropout dropout;
        private readonly Conv2d? residual;
        private readonly nn.Module<Tensor, Tensor>? residual_norm;
        private readonly Tensor partitions;
        private readonly long _out;
        private readonly int _joints;
        private readonly bool _identity;

        public GraphBlock(string name, long inChannels, long outChannels, float[] partitions, int joints, int stride, double dropoutRate,
            bool withResidual, bool batchNorm)
            : base(name)
        {
            // A non-persistent buffer: .to(device) moves it once, and checkpoints stay weights only (the graph comes
            // from the layout).
            this.partitions = tensor(partitions, [Partitions, joints, joints]).DetachFromDisposeScope();
            register_buffer(nameof(this.partitions), this.partitions, persistent: false);
            _out = outChannels;
            _joints = joints;
            spatial = nn.Conv2d(inChannels, Partitions * outChannels, 1);
            // ST-GCN's learnable edge importance: the network can strengthen or mute each edge of the fixed graph.
            importance = new Parameter(ones(Partitions, joints, joints));
            spatial_norm = Norm(outChannels, batchNorm);
            temporal = nn.Conv2d(outChannels, outChannels, (TemporalKernel, 1), stride: (stride, 1), padding: (TemporalKernel / 2, 0));
            temporal_norm = Norm(outChannels, batchNorm);
            dropout = nn.Dropout(dropoutRate);
            // As in ST-GCN, the first block has no residual: its input is raw coordinates.
            _identity = withResidual && inChannels == outChannels && stride == 1;
            if (withResidual && !_identity)
            {
                residual = nn.Conv2d(inChannels, outChannels, (1, 1), stride: (stride, 1));
                residual_norm = Norm(outChannels, batchNorm);
            }
            RegisterComponents();
        }

        private static long Groups(long channels) => channels % 8 == 0 ? 8 : 1;

        private static nn.Module<Tensor, Tensor> Norm(long channels, bool batchNorm)
        {
            if (batchNorm) return new HeldScalarBatchNorm2d(channels);
            // TorchSharp 0.107's GroupNorm leaves its affine weights uninitialised: start from the identity as PyTorch does.
            var norm = nn.GroupNorm(Groups(channels), channels);
            using var _ = no_grad();
            norm.weight!.FillInPlace(1);
            norm.bias!.zero_();
            return norm;
        }

        public override Tensor forward(Tensor x)
        {
            // x: (N, C, T, J)
            using var scope = NewDisposeScope();
            long n = x.shape[0], frames = x.shape[2];
            var graph = partitions * importance;
            // Every activation is freed as soon as the next exists (EagerRelease): at inference the scope would
            // otherwise hold all of them until the block ends.
            var h = x.shape[1] < _out
                ? GatherThenMix(x, graph, spatial.weight!, spatial.bias)
                : spatial.forward(x).ThenFree(s => s.view(n, Partitions, _out, frames, _joints)).ThenFree(s => Gather(s, graph));
            h = h.ThenFree(spatial_norm.forward).ThenFree(g => nn.functional.relu(g))
                .ThenFree(temporal.forward).ThenFree(temporal_norm.forward).ThenFree(dropout.forward);
            if (_identity) h = h.ThenFree(y => y.Plus(x));
            else if (residual is not null)
            {
                using var shortcut = residual.forward(x).ThenFree(residual_norm!.forward);
                h = h.ThenFree(y => y.Plus(shortcut));
            }
            return h.ThenFree(y => nn.functional.relu(y)).MoveToOuterDisposeScope();
        }
    }
}
