using Kit.Torch.Native;
using static Kit.Torch.Native.LibKitTorch;

namespace Kit.Torch;

public static unsafe partial class torch
{
    private static Tensor ListOp(Native.ListOp op, IList<Tensor> tensors, long dim)
    {
        var handles = tensors.Count <= 64 ? stackalloc IntPtr[tensors.Count] : new IntPtr[tensors.Count];
        for (int i = 0; i < tensors.Count; i++) handles[i] = tensors[i].Handle;
        fixed (IntPtr* h = handles) return new Tensor(Check(kt_list_op((int)op, h, handles.Length, dim)));
    }

    public static Tensor cat(IList<Tensor> tensors, long dim = 0) => ListOp(Native.ListOp.Cat, tensors, dim);
    public static Tensor stack(IList<Tensor> tensors, long dim = 0) => ListOp(Native.ListOp.Stack, tensors, dim);
    public static Tensor where(Tensor condition, Tensor x, Tensor y) =>
        new(Check(kt_index_op((int)Native.IndexOp.Where, condition.Handle, 0, x.Handle, y.Handle)));
    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);
    public static Tensor bmm(Tensor a, Tensor b) => a.bmm(b);
    public static Tensor mm(Tensor a, Tensor b) => a.mm(b);
    public static Tensor exp(Tensor x) => x.exp();
    public static Tensor log(Tensor x) => x.log();
    public static Tensor sqrt(Tensor x) => x.sqrt();
    public static Tensor abs(Tensor x) => x.abs();
    public static Tensor tanh(Tensor x) => x.tanh();
    public static Tensor sigmoid(Tensor x) => x.sigmoid();
    public static Tensor relu(Tensor x) => x.relu();
    public static Tensor pow(Tensor x, double e) => x.pow(e);
    public static Tensor clamp(Tensor x, double? min = null, double? max = null) => x.clamp(min, max);
    public static Tensor maximum(Tensor a, Tensor b) => a.maximum(b);
    public static Tensor minimum(Tensor a, Tensor b) => a.minimum(b);
    public static Tensor softmax(Tensor x, long dim) => x.softmax(dim);
    public static Tensor log_softmax(Tensor x, long dim) => x.log_softmax(dim);
    public static Tensor multinomial(Tensor probs, long num_samples, bool replacement = false) =>
        new(Check(kt_multinomial(probs.Handle, num_samples, replacement ? 1 : 0)));
    public static bool allclose(Tensor a, Tensor b, double rtol = 1e-5, double atol = 1e-8)
    {
        var r = kt_allclose(a.Handle, b.Handle, rtol, atol);
        Check(r);
        return r == 1;
    }

    /// <summary>Seeds libtorch's generators (CPU and every CUDA device) so a run repeats.</summary>
    public static void manual_seed(long seed)
    {
        EnsureLoaded();
        kt_manual_seed((ulong)seed);
    }

    public static void set_num_threads(int n)
    {
        EnsureLoaded();
        kt_set_num_threads(n);
    }

    public static int get_num_threads()
    {
        EnsureLoaded();
        return kt_get_num_threads();
    }

    /// <summary>Opens a dispose scope on this thread: tensors created until it ends are disposed then.</summary>
    public static DisposeScope NewDisposeScope() => new();

    public static bool is_grad_enabled()
    {
        EnsureLoaded();
        return kt_grad_enabled() != 0;
    }

    /// <summary>Turns gradient recording off on this thread until the returned scope is disposed.</summary>
    public static IDisposable no_grad() => new GradMode(false);

    public static IDisposable enable_grad() => new GradMode(true);

    private sealed class GradMode : IDisposable
    {
        private readonly bool previous;
        private bool done;

        public GradMode(bool enabled)
        {
            EnsureLoaded();
            previous = kt_grad_enabled() != 0;
            kt_set_grad_enabled(enabled ? 1 : 0);
        }

        public void Dispose()
        {
            if (done) return;
            done = true;
            kt_set_grad_enabled(previous ? 1 : 0);
        }
    }
}
