using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kit.Torch.Native;

/// <summary>
/// The flat C entry points of libkittorch.so (src/Kit.Torch/native). Every signature is blittable, so a
/// call is a plain native call with no marshalling; the cheap property reads skip the GC transition.
/// A null handle (or -1) means the call failed and <see cref="kt_last_error"/> holds libtorch's message.
/// </summary>
internal static unsafe partial class LibKitTorch
{
    private const string Lib = "kittorch";

    // The resolver must be in place before the first P/Invoke of the assembly is bound.
    [ModuleInitializer]
    internal static void InstallResolver() => NativeLibrary.SetDllImportResolver(typeof(LibKitTorch).Assembly, Resolve);

    static LibKitTorch() => kt_init(0);

    /// <summary>Loads the library and sets intra-op threads to the machine's cores, once.</summary>
    internal static void EnsureLoaded() { }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Lib) return IntPtr.Zero;
        PinOpenMpThreads();
        var beside = Path.Combine(Path.GetDirectoryName(assembly.Location) ?? AppContext.BaseDirectory, "libkittorch.so");
        if (NativeLibrary.TryLoad(beside, out var handle)) return handle;
        if (NativeLibrary.TryLoad("libkittorch.so", assembly, path, out handle)) return handle;
        throw new DllNotFoundException(
            $"libkittorch.so not found beside {assembly.Location}. It is built by `dotnet build src/Kit.Torch` " +
            "(needs cmake, g++ and libtorch-dev; see README, 'The tensor engine').");
    }

    /// <summary>
    /// Measured with `kit bench torch`: set_num_threads after load alone left 1024x1024 matmul and the LSTM
    /// step at about half of Python's speed, which starts with OMP_NUM_THREADS set; with it set before
    /// libgomp and OpenBLAS initialise, both match. So the kit sets it (to every core) before loading
    /// libtorch, unless the user already chose. .NET's Environment.SetEnvironmentVariable does not reach
    /// the native environment on Linux, hence libc's setenv.
    /// </summary>
    private static void PinOpenMpThreads()
    {
        if (Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is null)
            setenv("OMP_NUM_THREADS", Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), 0);
    }

    [DllImport("libc.so.6", CharSet = CharSet.Ansi)]
    private static extern int setenv(string name, string value, int overwrite);

    [DllImport(Lib)] private static extern IntPtr kt_last_error();

    internal static string LastError() => Marshal.PtrToStringUTF8(kt_last_error()) ?? "unknown native error";

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static Exception Fail() => new TorchException(LastError());

    /// <summary>Returns the handle, or throws libtorch's message when the call failed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static IntPtr Check(IntPtr h) => h != IntPtr.Zero ? h : throw Fail();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Check(int rc) { if (rc < 0) throw Fail(); }

    [DllImport(Lib)] internal static extern int kt_init(int threads);
    [DllImport(Lib), SuppressGCTransition] internal static extern int kt_get_num_threads();
    [DllImport(Lib)] internal static extern void kt_set_num_threads(int n);
    [DllImport(Lib)] internal static extern int kt_cuda_device_count();
    [DllImport(Lib)] internal static extern void kt_cuda_synchronize();
    [DllImport(Lib)] internal static extern void kt_manual_seed(ulong seed);
    [DllImport(Lib), SuppressGCTransition] internal static extern int kt_grad_enabled();
    [DllImport(Lib), SuppressGCTransition] internal static extern void kt_set_grad_enabled(int on);
    [DllImport(Lib)] internal static extern void kt_free(IntPtr t);

    [DllImport(Lib), SuppressGCTransition] internal static extern int kt_autocast_enabled(int device);
    [DllImport(Lib)] internal static extern void kt_autocast_set_enabled(int device, int on);
    [DllImport(Lib), SuppressGCTransition] internal static extern int kt_autocast_dtype(int device);
    [DllImport(Lib)] internal static extern void kt_autocast_set_dtype(int device, int dtype);
    [DllImport(Lib), SuppressGCTransition] internal static extern int kt_autocast_cache_enabled();
    [DllImport(Lib)] internal static extern void kt_autocast_set_cache_enabled(int on);
    [DllImport(Lib)] internal static extern int kt_autocast_increment_nesting();
    [DllImport(Lib)] internal static extern int kt_autocast_decrement_nesting();
    [DllImport(Lib)] internal static extern void kt_autocast_clear_cache();
    [DllImport(Lib)] internal static extern int kt_cuda_is_bf16_supported();

    [DllImport(Lib), SuppressGCTransition] internal static extern int kt_ndim(IntPtr t);
    [DllImport(Lib), SuppressGCTransition] internal static extern void kt_shape(IntPtr t, long* shape);
    [DllImport(Lib), SuppressGCTransition] internal static extern long kt_size(IntPtr t, long dim);
    [DllImport(Lib), SuppressGCTransition] internal static extern long kt_numel(IntPtr t);
    [DllImport(Lib), SuppressGCTransition] internal static extern int kt_dtype(IntPtr t);
    [DllImport(Lib), SuppressGCTransition] internal static extern int kt_device_type(IntPtr t);
    [DllImport(Lib), SuppressGCTransition] internal static extern int kt_device_index(IntPtr t);
    [DllImport(Lib), SuppressGCTransition] internal static extern int kt_requires_grad(IntPtr t);
    [DllImport(Lib), SuppressGCTransition] internal static extern int kt_is_leaf(IntPtr t);
    [DllImport(Lib), SuppressGCTransition] internal static extern int kt_is_contiguous(IntPtr t);
    [DllImport(Lib), SuppressGCTransition] internal static extern long kt_element_size(IntPtr t);

    [DllImport(Lib)] internal static extern IntPtr kt_from_blob(void* data, long* shape, int ndim, int dtype, int dev, int devidx, int requiresGrad);
    [DllImport(Lib)] internal static extern IntPtr kt_factory(int op, long* shape, int ndim, int dtype, int dev, int devidx, int requiresGrad, double a, double b, double c);
    [DllImport(Lib)] internal static extern int kt_copy_out(IntPtr t, void* dst, long nbytes);
    [DllImport(Lib)] internal static extern int kt_copy_in(IntPtr t, void* src, long nbytes);
    [DllImport(Lib)] internal static extern double kt_item_double(IntPtr t);
    [DllImport(Lib)] internal static extern long kt_item_long(IntPtr t);
    [DllImport(Lib)] internal static extern IntPtr kt_to(IntPtr t, int dtype, int dev, int devidx, int copy);
    [DllImport(Lib)] internal static extern int kt_set_data(IntPtr t, IntPtr src);
    [DllImport(Lib)] internal static extern void* kt_data_ptr(IntPtr t);

    [DllImport(Lib)] internal static extern int kt_set_requires_grad(IntPtr t, int on);
    [DllImport(Lib)] internal static extern int kt_backward(IntPtr t, IntPtr grad, int retainGraph, int createGraph);
    [DllImport(Lib)] internal static extern IntPtr kt_grad(IntPtr t);
    [DllImport(Lib)] internal static extern int kt_set_grad(IntPtr t, IntPtr g);
    [DllImport(Lib)] internal static extern void kt_clear_grad(IntPtr t);
    [DllImport(Lib), SuppressGCTransition] internal static extern int kt_has_grad(IntPtr t);

    [DllImport(Lib)] internal static extern IntPtr kt_unary(int op, IntPtr a);
    [DllImport(Lib)] internal static extern IntPtr kt_binary(int op, IntPtr a, IntPtr b);
    [DllImport(Lib)] internal static extern IntPtr kt_binary_scalar(int op, IntPtr a, double s, int reverse);
    [DllImport(Lib)] internal static extern int kt_inplace(int op, IntPtr a, IntPtr b, double s, double s2);
    [DllImport(Lib)] internal static extern IntPtr kt_reduce(int op, IntPtr a, long* dims, int ndims, int keepdim, double p);
    [DllImport(Lib)] internal static extern IntPtr kt_pair(int op, IntPtr a, long dim, int keepdim, long k, IntPtr* indices);
    [DllImport(Lib)] internal static extern IntPtr kt_shape_op(int op, IntPtr a, long* args, int nargs);
    [DllImport(Lib)] internal static extern IntPtr kt_index_op(int op, IntPtr a, long dim, IntPtr b, IntPtr c);
    [DllImport(Lib)] internal static extern IntPtr kt_masked_fill_scalar(IntPtr a, IntPtr mask, double value);
    [DllImport(Lib)] internal static extern int kt_masked_fill_inplace(IntPtr a, IntPtr mask, double value);
    [DllImport(Lib)] internal static extern IntPtr kt_clamp(IntPtr a, double lo, double hi, int hasLo, int hasHi);
    [DllImport(Lib)] internal static extern IntPtr kt_list_op(int op, IntPtr* hs, int n, long dim);
    [DllImport(Lib)] internal static extern int kt_split(int op, IntPtr a, long* args, int nargs, long dim, IntPtr* outs, int maxout);
    [DllImport(Lib)] internal static extern IntPtr kt_pad(IntPtr a, long* pads, int npads, int mode, double value);
    [DllImport(Lib)] internal static extern int kt_allclose(IntPtr a, IntPtr b, double rtol, double atol);

    [DllImport(Lib)] internal static extern IntPtr kt_linear(IntPtr x, IntPtr w, IntPtr b);
    [DllImport(Lib)] internal static extern IntPtr kt_conv(int kind, IntPtr x, IntPtr w, IntPtr b, long* stride, long* padding, long* dilation, long* outputPadding, int n, long groups);
    [DllImport(Lib)] internal static extern IntPtr kt_embedding(IntPtr w, IntPtr idx, long paddingIdx);
    [DllImport(Lib)] internal static extern IntPtr kt_layer_norm(IntPtr x, long* shape, int n, IntPtr w, IntPtr b, double eps);
    [DllImport(Lib)] internal static extern IntPtr kt_batch_norm(IntPtr x, IntPtr w, IntPtr b, IntPtr rm, IntPtr rv, int training, double momentum, double eps);
    [DllImport(Lib)] internal static extern IntPtr kt_dropout(IntPtr x, double p, int train);
    [DllImport(Lib)] internal static extern IntPtr kt_loss(int kind, IntPtr x, IntPtr target, IntPtr weight, IntPtr posWeight, int reduction, long ignoreIndex, double smoothing);
    [DllImport(Lib)] internal static extern int kt_rnn(int isLstm, IntPtr input, IntPtr* hx, int nhx, IntPtr* parameters, int nparams, int hasBiases, long numLayers, double dropout, int train, int bidirectional, int batchFirst, IntPtr* outs);
    [DllImport(Lib)] internal static extern int kt_lstm_cell(IntPtr x, IntPtr h, IntPtr c, IntPtr wIh, IntPtr wHh, IntPtr bIh, IntPtr bHh, IntPtr* outs);
    [DllImport(Lib)] internal static extern IntPtr kt_gru_cell(IntPtr x, IntPtr h, IntPtr wIh, IntPtr wHh, IntPtr bIh, IntPtr bHh);
    [DllImport(Lib)] internal static extern IntPtr kt_stft(IntPtr x, long nFft, long hop, long winLength, IntPtr window, int center, int padMode, int normalized, int onesided);
    [DllImport(Lib)] internal static extern IntPtr kt_istft(IntPtr x, long nFft, long hop, long winLength, IntPtr window, int center, int normalized, int onesided, long length);
    [DllImport(Lib)] internal static extern IntPtr kt_multinomial(IntPtr probs, long n, int replacement);

    [DllImport(Lib)] internal static extern int kt_adam_step(IntPtr* parameters, IntPtr* expAvg, IntPtr* expAvgSq, IntPtr* maxExpAvgSq, int n, double lr, double beta1, double beta2, double eps, double weightDecay, int decoupled, int amsgrad, long step);
    [DllImport(Lib)] internal static extern int kt_sgd_step(IntPtr* parameters, IntPtr* bufs, int n, double lr, double momentum, double dampening, double weightDecay, int nesterov, int first);
    [DllImport(Lib)] internal static extern double kt_clip_grad_norm(IntPtr* parameters, int n, double maxNorm, double normType);
    [DllImport(Lib)] internal static extern int kt_amp_unscale(IntPtr* parameters, int n, IntPtr foundInf, IntPtr invScale);
    [DllImport(Lib)] internal static extern int kt_amp_update_scale(IntPtr scale, IntPtr growthTracker, IntPtr foundInf, double growth, double backoff, long interval);
}

/// <summary>An error libtorch reported, with its message.</summary>
public sealed class TorchException(string message) : Exception(message);
