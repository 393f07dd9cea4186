using System.Runtime.CompilerServices;
using Kit.Torch.Native;
using static Kit.Torch.Native.LibKitTorch;

namespace Kit.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Tensor Unary(Native.Unary op, Tensor a) => new(Check(kt_unary((int)op, a.Handle)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Tensor Binary(Native.Binary op, Tensor a, Tensor b) => new(Check(kt_binary((int)op, a.Handle, b.Handle)));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Tensor Scalar(Native.Binary op, Tensor a, double s, bool reverse = false) =>
            new(Check(kt_binary_scalar((int)op, a.Handle, s, reverse ? 1 : 0)));

        public static Tensor operator +(Tensor a, Tensor b) => Binary(Native.Binary.Add, a, b);
        public static Tensor operator +(Tensor a, double b) => Scalar(Native.Binary.Add, a, b);
        public static Tensor operator +(double a, Tensor b) => Scalar(Native.Binary.Add, b, a);
        public static Tensor operator -(Tensor a, Tensor b) => Binary(Native.Binary.Sub, a, b);
        public static Tensor operator -(Tensor a, double b) => Scalar(Native.Binary.Sub, a, b);
        public static Tensor operator -(double a, Tensor b) => Scalar(Native.Binary.Sub, b, a, reverse: true);
        public static Tensor operator *(Tensor a, Tensor b) => Binary(Native.Binary.Mul, a, b);
        public static Tensor operator *(Tensor a, double b) => Scalar(Native.Binary.Mul, a, b);
        public static Tensor operator *(double a, Tensor b) => Scalar(Native.Binary.Mul, b, a);
        public static Tensor operator /(Tensor a, Tensor b) => Binary(Native.Binary.Div, a, b);
        public static Tensor operator /(Tensor a, double b) => Scalar(Native.Binary.Div, a, b);
        public static Tensor operator /(double a, Tensor b) => Scalar(Native.Binary.Div, b, a, reverse: true);
        public static Tensor operator %(Tensor a, Tensor b) => Binary(Native.Binary.Remainder, a, b);
        public static Tensor operator %(Tensor a, double b) => Scalar(Native.Binary.Remainder, a, b);
        public static Tensor operator -(Tensor a) => Unary(Native.Unary.Neg, a);
        public static Tensor operator !(Tensor a) => Unary(Native.Unary.LogicalNot, a);
        public static Tensor operator ~(Tensor a) => Unary(Native.Unary.LogicalNot, a);
        public static Tensor operator &(Tensor a, Tensor b) => Binary(Native.Binary.And, a, b);
        public static Tensor operator |(Tensor a, Tensor b) => Binary(Native.Binary.Or, a, b);
        public static Tensor operator ^(Tensor a, Tensor b) => Binary(Native.Binary.Xor, a, b);

        // Comparisons are elementwise and return bool tensors, as in PyTorch and TorchSharp. Test a
        // reference for null with `is null`, never with ==.
        public static Tensor operator ==(Tensor a, Tensor b) => Binary(Native.Binary.Eq, a, b);
        public static Tensor operator !=(Tensor a, Tensor b) => Binary(Native.Binary.Ne, a, b);
        public static Tensor operator <(Tensor a, Tensor b) => Binary(Native.Binary.Lt, a, b);
        public static Tensor operator <=(Tensor a, Tensor b) => Binary(Native.Binary.Le, a, b);
        public static Tensor operator >(Tensor a, Tensor b) => Binary(Native.Binary.Gt, a, b);
        public static Tensor operator >=(Tensor a, Tensor b) => Binary(Native.Binary.Ge, a, b);
        public static Tensor operator ==(Tensor a, double b) => Scalar(Native.Binary.Eq, a, b);
        public static Tensor operator !=(Tensor a, double b) => Scalar(Native.Binary.Ne, a, b);
        public static Tensor operator <(Tensor a, double b) => Scalar(Native.Binary.Lt, a, b);
        public static Tensor operator <=(Tensor a, double b) => Scalar(Native.Binary.Le, a, b);
        public static Tensor operator >(Tensor a, double b) => Scalar(Native.Binary.Gt, a, b);
        public static Tensor operator >=(Tensor a, double b) => Scalar(Native.Binary.Ge, a, b);
        public static Tensor operator ==(double a, Tensor b) => Scalar(Native.Binary.Eq, b, a);
        public static Tensor operator !=(double a, Tensor b) => Scalar(Native.Binary.Ne, b, a);
        public static Tensor operator <(double a, Tensor b) => Scalar(Native.Binary.Lt, b, a, reverse: true);
        public static Tensor operator <=(double a, Tensor b) => Scalar(Native.Binary.Le, b, a, reverse: true);
        public static Tensor operator >(double a, Tensor b) => Scalar(Native.Binary.Gt, b, a, reverse: true);
        public static Tensor operator >=(double a, Tensor b) => Scalar(Native.Binary.Ge, b, a, reverse: true);

        public Tensor add(Tensor o) => this + o;
        public Tensor add(double o) => this + o;
        public Tensor sub(Tensor o) => this - o;
        public Tensor mul(Tensor o) => this * o;
        public Tensor mul(double o) => this * o;
        public Tensor div(Tensor o) => this / o;
        public Tensor div(double o) => this / o;
        public Tensor neg() => -this;
        public Tensor pow(Tensor e) => Binary(Native.Binary.Pow, this, e);
        public Tensor pow(double e) => Scalar(Native.Binary.Pow, this, e);
        public Tensor eq(Tensor o) => this == o;
        public Tensor eq(double o) => this == o;
        public Tensor ne(Tensor o) => this != o;
        public Tensor ne(double o) => this != o;
        public Tensor lt(Tensor o) => this < o;
        public Tensor lt(double o) => this < o;
        public Tensor le(Tensor o) => this <= o;
        public Tensor le(double o) => this <= o;
        public Tensor gt(Tensor o) => this > o;
        public Tensor gt(double o) => this > o;
        public Tensor ge(Tensor o) => this >= o;
        public Tensor ge(double o) => this >= o;
        public Tensor maximum(Tensor o) => Binary(Native.Binary.Maximum, this, o);
        public Tensor minimum(Tensor o) => Binary(Native.Binary.Minimum, this, o);
        public Tensor logical_and(Tensor o) => Binary(Native.Binary.And, this, o);
        public Tensor logical_or(Tensor o) => Binary(Native.Binary.Or, this, o);
        public Tensor logical_not() => Unary(Native.Unary.LogicalNot, this);
        public Tensor remainder(double o) => this % o;
        public Tensor floor_divide(Tensor o) => Binary(Native.Binary.FloorDivide, this, o);
        public Tensor floor_divide(double o) => Scalar(Native.Binary.FloorDivide, this, o);
        public Tensor atan2(Tensor o) => Binary(Native.Binary.Atan2, this, o);
        public Tensor matmul(Tensor o) => Binary(Native.Binary.Matmul, this, o);
        public Tensor mm(Tensor o) => Binary(Native.Binary.Mm, this, o);
        public Tensor bmm(Tensor o) => Binary(Native.Binary.Bmm, this, o);
        public Tensor expand_as(Tensor o) => Binary(Native.Binary.ExpandAs, this, o);
        public Tensor type_as(Tensor o) => Binary(Native.Binary.TypeAs, this, o);

        // ---- in place (no new handle) ----
        private Tensor InPlace(Inplace op, Tensor? b, double s = 0, double s2 = 0)
        {
            Check(kt_inplace((int)op, Handle, b is null ? IntPtr.Zero : b.Handle, s, s2));
            return this;
        }

        public Tensor add_(Tensor o, double alpha = 1) => alpha == 1 ? InPlace(Inplace.Add, o) : InPlace(Inplace.AddScaled, o, alpha);
        public Tensor add_(double o) => InPlace(Inplace.Add, null, o);
        public Tensor sub_(Tensor o) => InPlace(Inplace.Sub, o);
        public Tensor sub_(double o) => InPlace(Inplace.Sub, null, o);
        public Tensor mul_(Tensor o) => InPlace(Inplace.Mul, o);
        public Tensor mul_(double o) => InPlace(Inplace.Mul, null, o);
        public Tensor div_(Tensor o) => InPlace(Inplace.Div, o);
        public Tensor div_(double o) => InPlace(Inplace.Div, null, o);
        public Tensor pow_(double e) => InPlace(Inplace.Pow, null, e);
        public Tensor copy_(Tensor src) => InPlace(Inplace.Copy, src);
        public Tensor fill_(double v) => InPlace(Inplace.Fill, null, v);
        public Tensor zero_() => InPlace(Inplace.Zero, null);
        public Tensor clamp_min_(double v) => InPlace(Inplace.ClampMin, null, v);
        public Tensor clamp_max_(double v) => InPlace(Inplace.ClampMax, null, v);
        public Tensor uniform_(double from = 0, double to = 1) => InPlace(Inplace.Uniform, null, from, to);
        public Tensor normal_(double mean = 0, double std = 1) => InPlace(Inplace.Normal, null, mean, std);

        public Tensor masked_fill_(Tensor mask, double value)
        {
            Check(kt_masked_fill_inplace(Handle, mask.Handle, value));
            return this;
        }
    }
}
