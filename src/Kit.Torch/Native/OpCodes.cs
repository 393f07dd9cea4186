namespace Kit.Torch.Native;

// Op codes of the shim's generic entry points; each enum mirrors the one of the same role in
// native/ops.cpp, nn.cpp or core.cpp, in the same order.

internal enum Factory { Zeros, Ones, Empty, Full, Randn, Rand, Randint, Eye, Arange, Linspace, Hann, Hamming }

internal enum Unary
{
    Neg, Abs, Exp, Log, Sqrt, Tanh, Sigmoid, Relu, Gelu, Contiguous, Clone, Detach,
    LogicalNot, Sin, Cos, Floor, Ceil, Round, Rsqrt, Sign, Square, T, Log1p, Expm1,
    Silu, Reciprocal, ViewAsReal, ViewAsComplex, ZerosLike, OnesLike, RandnLike, RandLike,
    IsNan, IsInf, Log2, Log10, Erf, Softplus, Angle, GeluTanh, LeakyRelu, Elu, Conj,
}

internal enum Binary
{
    Add, Sub, Mul, Div, Pow, Eq, Ne, Lt, Le, Gt, Ge, Matmul, Bmm, Mm,
    Maximum, Minimum, And, Or, Xor, Remainder, Atan2, FloorDivide, ExpandAs, TypeAs,
}

internal enum Inplace { Add, Sub, Mul, Div, Copy, Fill, Zero, ClampMin, ClampMax, Pow, AddScaled, Uniform, Normal }

internal enum Reduce { Sum, Mean, Std, Var, Amax, Amin, Prod, LogSumExp, Norm, Argmax, Argmin, All, Any, Softmax, LogSoftmax, Cumsum }

internal enum Pair { Max, Min, Sort, TopK }

internal enum ShapeOp
{
    Reshape, View, Permute, Expand, Repeat, Squeeze, Unsqueeze, Transpose, Narrow, Slice,
    Flatten, SqueezeAll, Select, Flip, Roll, RepeatInterleave, Tril, Triu, Diag, Unfold,
}

internal enum IndexOp { IndexSelect, Gather, Scatter, MaskedFill, Where, ScatterAdd, MaskedSelect, Index }

internal enum ListOp { Cat, Stack }

internal enum SplitOp { Split, SplitSizes, Chunk, Unbind }

internal enum LossKind { CrossEntropy, Nll, BceWithLogits, L1, Mse, Bce, SmoothL1 }
