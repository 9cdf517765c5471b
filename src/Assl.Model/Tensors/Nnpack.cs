using System.Runtime.InteropServices;

namespace Assl.Model.Tensors;

/// <summary>
/// Switches libtorch's NNPACK convolution back end off in a process where NNPACK cannot start, because libtorch
/// then logs "Could not initialize NNPACK! Reason: Unsupported hardware." on every qualifying convolution: a
/// graph encoder's inference pass of 16 windows or more, so a loaded server wrote tens of thousands of lines a
/// minute to stderr. Where NNPACK works it is left as libtorch chose.
/// </summary>
/// <remarks>
/// TorchSharp does not expose PyTorch's <c>torch.backends.nnpack.set_flags</c>, so this calls the two libtorch
/// functions behind it by their exported (Itanium C++ ABI) names. Elsewhere (Windows' different name mangling, a
/// libtorch without them) the calls are not found and nothing changes.
/// </remarks>
public static class Nnpack
{
    private const string LibTorchCpu = "torch_cpu";

    private static readonly Lazy<bool?> Switched = new(TurnOffIfUnavailable);

    [DllImport(LibTorchCpu, EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport(LibTorchCpu, EntryPoint = "_ZN2at6native17_nnpack_availableEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool NnpackAvailable();

    [DllImport(LibTorchCpu, EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledNnpack(IntPtr context);

    [DllImport(LibTorchCpu, EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    /// <summary>
    /// Once per process, after libtorch is loaded (any tensor or module has been made): asks whether NNPACK started
    /// (libtorch logs its warning this one time) and, if not, tells libtorch not to try it again. True when it was
    /// switched off, false when NNPACK works, null when libtorch's functions could not be reached.
    /// </summary>
    public static bool? TurnOffWhereUnavailable() => Switched.Value;

    /// <summary>Whether libtorch will consider NNPACK for a convolution; null when that cannot be read.</summary>
    public static bool? Enabled
    {
        get
        {
            try
            {
                return UserEnabledNnpack(GlobalContext());
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return null;
            }
        }
    }

    private static bool? TurnOffIfUnavailable()
    {
        try
        {
            if (NnpackAvailable()) return false;
            SetUserEnabledNnpack(GlobalContext(), false);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }
}
