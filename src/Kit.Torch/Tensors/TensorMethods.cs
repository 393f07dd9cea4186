using Kit.Torch.Native;
using static Kit.Torch.Native.LibKitTorch;

namespace Kit.Torch;

public static partial class torch
{
    public unsafe partial class Tensor
    {
        // ---- elementwise ----
        public Tensor abs() => Unary(Native.Unary.Abs, this);
        public Tensor exp() => Unary(Native.Unary.Exp, this);
        public Tensor log() => Unary(Native.Unary.Log, this);
        public Tensor log1p() => Unary(Native.Unary.Log1p, this);
        public Tensor log10() => Unary(Native.Unary.Log10, this);
        public Tensor log2() => Unary(Native.Unary.Log2, this);
        public Tensor expm1() => Unary(Native.Unary.Expm1, this);
        public Tensor sqrt() => Unary(Native.Unary.Sqrt, this);
        public Tensor rsqrt() => Unary(Native.Unary.Rsqrt, this);
        public Tensor square() => Unary(Native.Unary.Square, this);
        public Tensor reciprocal() => Unary(Native.Unary.Reciprocal, this);
        public Tensor tanh() => Unary(Native.Unary.Tanh, this);
        public Tensor sigmoid() => Unary(Native.Unary.Sigmoid, this);
        public Tensor relu() => Unary(Native.Unary.Relu, this);
        public Tensor gelu() => Unary(Native.Unary.Gelu, this);
        public Tensor silu() => Unary(Native.Unary.Silu, this);
        public Tensor sin() => Unary(Native.Unary.Sin, this);
        public Tensor cos() => Unary(Native.Unary.Cos, this);
        public Tensor floor() => Unary(Native.Unary.Floor, this);
        public Tensor ceil() => Unary(Native.Unary.Ceil, this);
        public Tensor round() => Unary(Native.Unary.Round, this);
        public Tensor sign() => Unary(Native.Unary.Sign, this);
        public Tensor erf() => Unary(Native.Unary.Erf, this);
        public Tensor isnan() => Unary(Native.Unary.IsNan, this);
        public Tensor isinf() => Unary(Native.Unary.IsInf, this);
        public Tensor angle() => Unary(Native.Unary.Angle, this);
        public Tensor contiguous() => Unary(Native.Unary.Contiguous, this);
        public Tensor clone() => Unary(Native.Unary.Clone, this);
        public Tensor detach() => Unary(Native.Unary.Detach, this);
        public Tensor t() => Unary(Native.Unary.T, this);
        public Tensor T => Unary(Native.Unary.T, this);
        public Tensor view_as_real() => Unary(Native.Unary.ViewAsReal, this);
        public Tensor view_as_complex() => Unary(Native.Unary.ViewAsComplex, this);

        public Tensor clamp(double? min = null, double? max = null) =>
            new(Check(kt_clamp(Handle, min ?? 0, max ?? 0, min.HasValue ? 1 : 0, max.HasValue ? 1 : 0)));
        public Tensor clamp_min(double min) => clamp(min: min);
        public Tensor clamp_max(double max) => clamp(max: max);

        // ---- reductions ----
        private Tensor Reduction(Reduce op, ReadOnlySpan<long> dims, bool keepdim, double p = 0)
        {
            fixed (long* d = dims) return new(Check(kt_reduce((int)op, Handle, d, dims.Length, keepdim ? 1 : 0, p)));
        }

        public Tensor sum() => Reduction(Reduce.Sum, default, false);
        public Tensor sum(long dim, bool keepdim = false) => Reduction(Reduce.Sum, [dim], keepdim);
        public Tensor sum(long[] dims, bool keepdim = false) => Reduction(Reduce.Sum, dims, keepdim);
        public Tensor mean() => Reduction(Reduce.Mean, default, false);
        public Tensor mean(long dim, bool keepdim = false) => Reduction(Reduce.Mean, [dim], keepdim);
        public Tensor mean(long[] dims, bool keepdim = false) => Reduction(Reduce.Mean, dims, keepdim);
        public Tensor std(bool unbiased = true) => Reduction(Reduce.Std, default, false, unbiased ? 1 : 0);
        public Tensor std(long dim, bool unbiased = true, bool keepdim = false) => Reduction(Reduce.Std, [dim], keepdim, unbiased ? 1 : 0);
        public Tensor var(bool unbiased = true) => Reduction(Reduce.Var, default, false, unbiased ? 1 : 0);
        public Tensor var(long dim, bool unbiased = true, bool keepdim = false) => Reduction(Reduce.Var, [dim], keepdim, unbiased ? 1 : 0);
        public Tensor prod() => Reduction(Reduce.Prod, default, false);
        public Tensor logsumexp(long dim, bool keepdim = false) => Reduction(Reduce.LogSumExp, [dim], keepdim);
        public Tensor norm(double p = 2) => Reduction(Reduce.Norm, default, false, p);
        public Tensor norm(long dim, bool keepdim = false, double p = 2) => Reduction(Reduce.Norm, [dim], keepdim, p);
        public Tensor max() => Reduction(Reduce.Amax, default, false);
        public Tensor min() => Reduction(Reduce.Amin, default, false);
        public Tensor amax(long dim, bool keepdim = false) => Reduction(Reduce.Amax, [dim], keepdim);
        public Tensor amin(long dim, bool keepdim = false) => Reduction(Reduce.Amin, [dim], keepdim);
        public Tensor argmax() => Reduction(Reduce.Argmax, default, false);
        public Tensor argmax(long dim, bool keepdim = false) => Reduction(Reduce.Argmax, [dim], keepdim);
        public Tensor argmin() => Reduction(Reduce.Argmin, default, false);
        public Tensor argmin(long dim, bool keepdim = false) => Reduction(Reduce.Argmin, [dim], keepdim);
        public Tensor all() => Reduction(Reduce.All, default, false);
        public Tensor any() => Reduction(Reduce.Any, default, false);
        public Tensor softmax(long dim) => Reduction(Reduce.Softmax, [dim], false);
        public Tensor log_softmax(long dim) => Reduction(Reduce.LogSoftmax, [dim], false);
        public Tensor cumsum(long dim) => Reduction(Reduce.Cumsum, [dim], false);

        private (Tensor values, Tensor indices) PairOp(Pair op, long dim, bool flag, long k = 0)
        {
            IntPtr idx;
            var v = Check(kt_pair((int)op, Handle, dim, flag ? 1 : 0, k, &idx));
            return (new Tensor(v), new Tensor(idx));
        }

        public (Tensor values, Tensor indexes) max(long dim, bool keepdim = false) => PairOp(Pair.Max, dim, keepdim);
        public (Tensor values, Tensor indexes) min(long dim, bool keepdim = false) => PairOp(Pair.Min, dim, keepdim);
        public (Tensor values, Tensor indices) sort(long dim = -1, bool descending = false) => PairOp(Pair.Sort, dim, descending);
        public (Tensor values, Tensor indexes) topk(long k, long dim = -1) => PairOp(Pair.TopK, dim, false, k);

        // ---- shape ----
        private Tensor ShapeOp(Native.ShapeOp op, ReadOnlySpan<long> args)
        {
            fixed (long* a = args) return new(Check(kt_shape_op((int)op, Handle, a, args.Length)));
        }

        public Tensor reshape(params long[] shape) => ShapeOp(Native.ShapeOp.Reshape, shape);
        public Tensor view(params long[] shape) => ShapeOp(Native.ShapeOp.View, shape);
        public Tensor view_as(Tensor other) => ShapeOp(Native.ShapeOp.View, other.shape);
        public Tensor reshape_as(Tensor other) => ShapeOp(Native.ShapeOp.Reshape, other.shape);
        public Tensor permute(params long[] dims) => ShapeOp(Native.ShapeOp.Permute, dims);
        public Tensor expand(params long[] shape) => ShapeOp(Native.ShapeOp.Expand, shape);
        public Tensor repeat(params long[] repeats) => ShapeOp(Native.ShapeOp.Repeat, repeats);
        public Tensor squeeze() => ShapeOp(Native.ShapeOp.SqueezeAll, default);
        public Tensor squeeze(long dim) => ShapeOp(Native.ShapeOp.Squeeze, [dim]);
        public Tensor unsqueeze(long dim) => ShapeOp(Native.ShapeOp.Unsqueeze, [dim]);
        public Tensor transpose(long dim0, long dim1) => ShapeOp(Native.ShapeOp.Transpose, [dim0, dim1]);
        public Tensor narrow(long dim, long start, long length) => ShapeOp(Native.ShapeOp.Narrow, [dim, start, length]);
        public Tensor slice(long dim, long start, long end, long step = 1) => ShapeOp(Native.ShapeOp.Slice, [dim, start, end, step]);
        public Tensor flatten(long start_dim = 0, long end_dim = -1) => ShapeOp(Native.ShapeOp.Flatten, [start_dim, end_dim]);
        public Tensor select(long dim, long index) => ShapeOp(Native.ShapeOp.Select, [dim, index]);
        public Tensor flip(params long[] dims) => ShapeOp(Native.ShapeOp.Flip, dims);
        public Tensor roll(long shifts, long dim) => ShapeOp(Native.ShapeOp.Roll, [shifts, dim]);
        public Tensor repeat_interleave(long repeats, long dim) => ShapeOp(Native.ShapeOp.RepeatInterleave, [repeats, dim]);
        public Tensor tril(long diagonal = 0) => ShapeOp(Native.ShapeOp.Tril, [diagonal]);
        public Tensor triu(long diagonal = 0) => ShapeOp(Native.ShapeOp.Triu, [diagonal]);
        public Tensor unfold(long dim, long size, long step) => ShapeOp(Native.ShapeOp.Unfold, [dim, size, step]);

        /// <summary>x[i] along the first dimension.</summary>
        public Tensor this[long i] => select(0, i);

        // ---- indexing ----
        private Tensor IndexOp(Native.IndexOp op, long dim, Tensor b, Tensor? c = null) =>
            new(Check(kt_index_op((int)op, Handle, dim, b.Handle, c is null ? IntPtr.Zero : c.Handle)));

        public Tensor index_select(long dim, Tensor index) => IndexOp(Native.IndexOp.IndexSelect, dim, index);
        public Tensor gather(long dim, Tensor index) => IndexOp(Native.IndexOp.Gather, dim, index);
        public Tensor scatter(long dim, Tensor index, Tensor src) => IndexOp(Native.IndexOp.Scatter, dim, index, src);
        public Tensor scatter_add(long dim, Tensor index, Tensor src) => IndexOp(Native.IndexOp.ScatterAdd, dim, index, src);
        public Tensor masked_fill(Tensor mask, Tensor value) => IndexOp(Native.IndexOp.MaskedFill, 0, mask, value);
        public Tensor masked_fill(Tensor mask, double value) => new(Check(kt_masked_fill_scalar(Handle, mask.Handle, value)));
        public Tensor masked_select(Tensor mask) => IndexOp(Native.IndexOp.MaskedSelect, 0, mask);
        /// <summary>x[index] with a bool mask or a long index tensor over the first dimension.</summary>
        public Tensor index(Tensor index) => IndexOp(Native.IndexOp.Index, 0, index);
        public Tensor where(Tensor condition, Tensor other) => torch.where(condition, this, other);

        public Tensor[] split(long size, long dim = 0) => Split(SplitOp.Split, [size], dim, (int)((this.size(dim) + size - 1) / Math.Max(size, 1)));
        public Tensor[] split(long[] sizes, long dim = 0) => Split(SplitOp.SplitSizes, sizes, dim, sizes.Length);
        public Tensor[] chunk(long chunks, long dim = 0) => Split(SplitOp.Chunk, [chunks], dim, (int)chunks);
        public Tensor[] unbind(long dim = 0) => Split(SplitOp.Unbind, default, dim, (int)size(dim));

        private Tensor[] Split(SplitOp op, ReadOnlySpan<long> args, long dim, int max)
        {
            max = Math.Max(max, 1);
            var handles = max <= 64 ? stackalloc IntPtr[max] : new IntPtr[max];
            int n;
            fixed (long* a = args)
            fixed (IntPtr* o = handles)
                n = kt_split((int)op, Handle, a, args.Length, dim, o, max);
            Check(n);
            var result = new Tensor[n];
            for (int i = 0; i < n; i++) result[i] = new Tensor(handles[i]);
            return result;
        }
    }
}
