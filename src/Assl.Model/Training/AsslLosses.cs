using Assl.Model.Tensors;
using static TorchSharp.torch;

namespace Assl.Model.Training;

/// <summary>The loss terms, as pure functions of tensors.</summary>
public static class AsslLosses
{
    /// <summary>Mean squared error over the masked entries only.</summary>
    public static Tensor Inpainting(Tensor reconstruction, Tensor target, Tensor mask) =>
        WrappedTensorDisposeScope(() =>
            (reconstruction - target).square().mul(mask).sum() / mask.sum().ClampMin(1));

    /// <summary>
    /// KL(q ‖ p_sample) averaged over the batch, where q is the centre's prediction sharpened with
    /// <paramref name="temperature"/> (1: unchanged). Samples whose q peaks below
    /// <paramref name="minConfidence"/> contribute nothing: an unsure neighbourhood is no teacher.
    /// </summary>
    public static Tensor Consistency(Tensor centreLogits, Tensor sampleLogits, double temperature = 1.0, double minConfidence = 0.0) =>
        WrappedTensorDisposeScope(() =>
        {
            var logQ = nn.functional.log_softmax(centreLogits.DividedBy(temperature), 1);
            var logPu = nn.functional.log_softmax(sampleLogits, 1);
            var q = logQ.exp();
            var perSample = (q * (logQ - logPu)).sum(1);
            if (minConfidence <= 0) return perSample.mean();
            var keep = q.detach().max(1).values.AtLeast(minConfidence).to(perSample.dtype);
            return (perSample * keep).sum().DividedBy(sampleLogits.shape[0]);
        });

    /// <summary>Binary cross-entropy of the discriminator: labelled → 1, unlabelled → 0.</summary>
    public static Tensor Adversarial(Tensor labelledLogits, Tensor unlabelledLogits) =>
        WrappedTensorDisposeScope(() =>
        {
            var logits = cat([labelledLogits, unlabelledLogits]);
            var targets = cat([ones_like(labelledLogits), zeros_like(unlabelledLogits)]);
            return nn.functional.binary_cross_entropy_with_logits(logits, targets);
        });

    /// <summary>Cross-entropy on the samples whose weak-view confidence reaches the threshold; 0 when none do.</summary>
    public static Tensor PseudoLabel(Tensor strongLogits, Tensor weakLogits, double threshold) =>
        WrappedTensorDisposeScope(() =>
        {
            var probs = nn.functional.softmax(weakLogits.detach(), 1);
            var (confidence, pseudo) = probs.max(1);
            var keep = confidence.AtLeast(threshold).to(strongLogits.dtype);
            var ce = nn.functional.cross_entropy(strongLogits, pseudo, reduction: nn.Reduction.None);
            return (ce * keep).sum().DividedBy(strongLogits.shape[0]);
        });

    /// <summary>
    /// As <see cref="PseudoLabel(Tensor, Tensor, double)"/>, with a bar per class (<paramref name="bars"/>, (classes)):
    /// a sample counts when its weak-view confidence reaches the bar of the class it predicts.
    /// </summary>
    public static Tensor PseudoLabel(Tensor strongLogits, Tensor weakLogits, Tensor bars) =>
        WrappedTensorDisposeScope(() =>
        {
            var probs = nn.functional.softmax(weakLogits.detach(), 1);
            var (confidence, pseudo) = probs.max(1);
            var keep = confidence.ge(bars.index_select(0, pseudo)).to(strongLogits.dtype);
            var ce = nn.functional.cross_entropy(strongLogits, pseudo, reduction: nn.Reduction.None);
            return (ce * keep).sum().DividedBy(strongLogits.shape[0]);
        });

    /// <summary>
    /// Cross-view contrastive loss (InfoNCE, both directions): row i of <paramref name="a"/> and row i of
    /// <paramref name="b"/> are two views of one clip and must be each other's nearest match, by cosine similarity
    /// over <paramref name="temperature"/>, among the batch's other clips.
    /// </summary>
    public static Tensor Contrastive(Tensor a, Tensor b, double temperature) =>
        WrappedTensorDisposeScope(() =>
        {
            var similarity = nn.functional.normalize(a, dim: 1).matmul(nn.functional.normalize(b, dim: 1).t()).DividedBy(temperature);
            var same = arange(a.shape[0], dtype: ScalarType.Int64, device: a.device);
            return nn.functional.cross_entropy(similarity, same).Plus(nn.functional.cross_entropy(similarity.t(), same)).DividedBy(2);
        });

    /// <summary>Ramp from 0 to 1 (sigmoid-shaped, as in mean-teacher) over <paramref name="rampSteps"/>.</summary>
    public static double RampUp(long step, long rampSteps)
    {
        if (rampSteps <= 0 || step >= rampSteps) return 1;
        double phase = 1 - (double)step / rampSteps;
        return Math.Exp(-5 * phase * phase);
    }
}
