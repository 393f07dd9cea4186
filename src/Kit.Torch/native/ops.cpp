// Tensor math: a handful of generic entry points, each picking the ATen op by a code the C# side
// mirrors in NativeOps.cs. Keeping one entry per signature keeps the shim small and the call path short.
#include "shim.h"

enum Unary {
  U_NEG, U_ABS, U_EXP, U_LOG, U_SQRT, U_TANH, U_SIGMOID, U_RELU, U_GELU, U_CONTIGUOUS, U_CLONE, U_DETACH,
  U_LOGICAL_NOT, U_SIN, U_COS, U_FLOOR, U_CEIL, U_ROUND, U_RSQRT, U_SIGN, U_SQUARE, U_T, U_LOG1P, U_EXPM1,
  U_SILU, U_RECIPROCAL, U_VIEW_AS_REAL, U_VIEW_AS_COMPLEX, U_ZEROS_LIKE, U_ONES_LIKE, U_RANDN_LIKE, U_RAND_LIKE,
  U_ISNAN, U_ISINF, U_LOG2, U_LOG10, U_ERF, U_SOFTPLUS, U_ANGLE, U_GELU_TANH, U_LEAKY_RELU, U_ELU, U_CONJ
};

KT_API TH kt_unary(int op, TH a) {
  KT_TRY
  const at::Tensor& x = *a;
  switch (op) {
    case U_NEG: return kt::wrap(at::neg(x));
    case U_ABS: return kt::wrap(at::abs(x));
    case U_EXP: return kt::wrap(at::exp(x));
    case U_LOG: return kt::wrap(at::log(x));
    case U_SQRT: return kt::wrap(at::sqrt(x));
    case U_TANH: return kt::wrap(at::tanh(x));
    case U_SIGMOID: return kt::wrap(at::sigmoid(x));
    case U_RELU: return kt::wrap(at::relu(x));
    case U_GELU: return kt::wrap(at::gelu(x));
    case U_GELU_TANH: return kt::wrap(at::gelu(x, "tanh"));
    case U_CONTIGUOUS: return kt::wrap(x.contiguous());
    case U_CLONE: return kt::wrap(x.clone());
    case U_DETACH: return kt::wrap(x.detach());
    case U_LOGICAL_NOT: return kt::wrap(at::logical_not(x));
    case U_SIN: return kt::wrap(at::sin(x));
    case U_COS: return kt::wrap(at::cos(x));
    case U_FLOOR: return kt::wrap(at::floor(x));
    case U_CEIL: return kt::wrap(at::ceil(x));
    case U_ROUND: return kt::wrap(at::round(x));
    case U_RSQRT: return kt::wrap(at::rsqrt(x));
    case U_SIGN: return kt::wrap(at::sign(x));
    case U_SQUARE: return kt::wrap(at::square(x));
    case U_T: return kt::wrap(x.t());
    case U_LOG1P: return kt::wrap(at::log1p(x));
    case U_EXPM1: return kt::wrap(at::expm1(x));
    case U_SILU: return kt::wrap(at::silu(x));
    case U_RECIPROCAL: return kt::wrap(at::reciprocal(x));
    case U_VIEW_AS_REAL: return kt::wrap(at::view_as_real(x));
    case U_VIEW_AS_COMPLEX: return kt::wrap(at::view_as_complex(x));
    case U_ZEROS_LIKE: return kt::wrap(at::zeros_like(x));
    case U_ONES_LIKE: return kt::wrap(at::ones_like(x));
    case U_RANDN_LIKE: return kt::wrap(at::randn_like(x));
    case U_RAND_LIKE: return kt::wrap(at::rand_like(x));
    case U_ISNAN: return kt::wrap(at::isnan(x));
    case U_ISINF: return kt::wrap(at::isinf(x));
    case U_LOG2: return kt::wrap(at::log2(x));
    case U_LOG10: return kt::wrap(at::log10(x));
    case U_ERF: return kt::wrap(at::erf(x));
    case U_SOFTPLUS: return kt::wrap(at::softplus(x));
    case U_ANGLE: return kt::wrap(at::angle(x));
    case U_LEAKY_RELU: return kt::wrap(at::leaky_relu(x));
    case U_ELU: return kt::wrap(at::elu(x));
    case U_CONJ: return kt::wrap(at::conj(x));
  }
  throw std::runtime_error("unknown unary op " + std::to_string(op));
  KT_CATCH(nullptr)
}

enum Binary {
  B_ADD, B_SUB, B_MUL, B_DIV, B_POW, B_EQ, B_NE, B_LT, B_LE, B_GT, B_GE, B_MATMUL, B_BMM, B_MM,
  B_MAXIMUM, B_MINIMUM, B_AND, B_OR, B_XOR, B_REMAINDER, B_ATAN2, B_FLOOR_DIVIDE, B_EXPAND_AS, B_TYPE_AS
};

static at::Tensor binary(int op, const at::Tensor& x, const at::Tensor& y) {
  switch (op) {
    case B_ADD: return at::add(x, y);
    case B_SUB: return at::sub(x, y);
    case B_MUL: return at::mul(x, y);
    case B_DIV: return at::div(x, y);
    case B_POW: return at::pow(x, y);
    case B_EQ: return at::eq(x, y);
    case B_NE: return at::ne(x, y);
    case B_LT: return at::lt(x, y);
    case B_LE: return at::le(x, y);
    case B_GT: return at::gt(x, y);
    case B_GE: return at::ge(x, y);
    case B_MATMUL: return at::matmul(x, y);
    case B_BMM: return at::bmm(x, y);
    case B_MM: return at::mm(x, y);
    case B_MAXIMUM: return at::maximum(x, y);
    case B_MINIMUM: return at::minimum(x, y);
    case B_AND: return at::logical_and(x, y);
    case B_OR: return at::logical_or(x, y);
    case B_XOR: return at::logical_xor(x, y);
    case B_REMAINDER: return at::remainder(x, y);
    case B_ATAN2: return at::atan2(x, y);
    case B_FLOOR_DIVIDE: return at::div(x, y, "floor");
    case B_EXPAND_AS: return x.expand_as(y);
    case B_TYPE_AS: return x.type_as(y);
  }
  throw std::runtime_error("unknown binary op " + std::to_string(op));
}

KT_API TH kt_binary(int op, TH a, TH b) {
  KT_TRY
  return kt::wrap(binary(op, *a, *b));
  KT_CATCH(nullptr)
}

// Tensor (op) scalar; `reverse` computes scalar (op) tensor.
KT_API TH kt_binary_scalar(int op, TH a, double s, int reverse) {
  KT_TRY
  const at::Tensor& x = *a;
  at::Scalar v = kt::scalar_for(x, s);
  if (reverse) {
    switch (op) {
      case B_SUB: return kt::wrap(at::rsub(x, v));
      case B_DIV: return kt::wrap(at::mul(at::reciprocal(x), v));  // as Python's __rtruediv__
      case B_POW: return kt::wrap(at::pow(v, x));
      default: break;  // commutative ones fall through
    }
  }
  switch (op) {
    case B_ADD: return kt::wrap(at::add(x, v));
    case B_SUB: return kt::wrap(at::sub(x, v));
    case B_MUL: return kt::wrap(at::mul(x, v));
    case B_DIV: return kt::wrap(at::div(x, v));
    case B_POW: return kt::wrap(at::pow(x, v));
    case B_EQ: return kt::wrap(at::eq(x, v));
    case B_NE: return kt::wrap(at::ne(x, v));
    case B_LT: return kt::wrap(reverse ? at::gt(x, v) : at::lt(x, v));
    case B_LE: return kt::wrap(reverse ? at::ge(x, v) : at::le(x, v));
    case B_GT: return kt::wrap(reverse ? at::lt(x, v) : at::gt(x, v));
    case B_GE: return kt::wrap(reverse ? at::le(x, v) : at::ge(x, v));
    case B_REMAINDER: return kt::wrap(at::remainder(x, v));
    case B_FLOOR_DIVIDE: return kt::wrap(at::div(x, at::scalar_tensor(v, x.options()), "floor"));
    case B_MAXIMUM: return kt::wrap(at::clamp_min(x, v));
    case B_MINIMUM: return kt::wrap(at::clamp_max(x, v));
  }
  throw std::runtime_error("unknown scalar op " + std::to_string(op));
  KT_CATCH(nullptr)
}

enum Inplace { I_ADD, I_SUB, I_MUL, I_DIV, I_COPY, I_FILL, I_ZERO, I_CLAMP_MIN, I_CLAMP_MAX, I_POW, I_ADD_SCALED, I_UNIFORM, I_NORMAL };

// In-place updates: with b given the operand is a tensor, else the scalar s. Returns 0 or -1.
KT_API int kt_inplace(int op, TH a, TH b, double s, double s2) {
  KT_TRY
  at::Tensor& x = *a;
  at::Scalar v = kt::scalar_for(x, s);
  switch (op) {
    case I_ADD: if (b) x.add_(*b); else x.add_(v); break;
    case I_SUB: if (b) x.sub_(*b); else x.sub_(v); break;
    case I_MUL: if (b) x.mul_(*b); else x.mul_(v); break;
    case I_DIV: if (b) x.div_(*b); else x.div_(v); break;
    case I_COPY: x.copy_(*b); break;
    case I_FILL: x.fill_(v); break;
    case I_ZERO: x.zero_(); break;
    case I_CLAMP_MIN: x.clamp_min_(s); break;
    case I_CLAMP_MAX: x.clamp_max_(s); break;
    case I_POW: x.pow_(s); break;
    case I_ADD_SCALED: x.add_(*b, s); break;
    case I_UNIFORM: x.uniform_(s, s2); break;
    case I_NORMAL: x.normal_(s, s2); break;
    default: throw std::runtime_error("unknown in-place op " + std::to_string(op));
  }
  return 0;
  KT_CATCH(-1)
}

enum Reduce { R_SUM, R_MEAN, R_STD, R_VAR, R_AMAX, R_AMIN, R_PROD, R_LOGSUMEXP, R_NORM, R_ARGMAX, R_ARGMIN, R_ALL, R_ANY, R_SOFTMAX, R_LOG_SOFTMAX, R_CUMSUM };

// Reductions over dims (none = all). `p` is the norm order, or 1 for unbiased std/var.
KT_API TH kt_reduce(int op, TH a, const int64_t* dims, int ndims, int keepdim, double p) {
  KT_TRY
  const at::Tensor& x = *a;
  bool all = ndims == 0;
  auto d = kt::dims(dims, ndims);
  switch (op) {
    case R_SUM: return kt::wrap(all ? at::sum(x) : at::sum(x, d, keepdim));
    case R_MEAN: return kt::wrap(all ? at::mean(x) : at::mean(x, d, keepdim));
    case R_STD: return kt::wrap(all ? at::std(x, p != 0) : at::std(x, d, p != 0, keepdim));
    case R_VAR: return kt::wrap(all ? at::var(x, p != 0) : at::var(x, d, p != 0, keepdim));
    case R_AMAX: return kt::wrap(all ? at::max(x) : at::amax(x, d, keepdim));
    case R_AMIN: return kt::wrap(all ? at::min(x) : at::amin(x, d, keepdim));
    case R_PROD: return kt::wrap(all ? at::prod(x) : at::prod(x, dims[0], keepdim));
    case R_LOGSUMEXP: return kt::wrap(at::logsumexp(x, d, keepdim));
    case R_NORM: return kt::wrap(all ? at::norm(x, p) : at::norm(x, p, d, keepdim));
    case R_ARGMAX: return kt::wrap(all ? at::argmax(x) : at::argmax(x, dims[0], keepdim));
    case R_ARGMIN: return kt::wrap(all ? at::argmin(x) : at::argmin(x, dims[0], keepdim));
    case R_ALL: return kt::wrap(all ? at::all(x) : at::all(x, dims[0], keepdim));
    case R_ANY: return kt::wrap(all ? at::any(x) : at::any(x, dims[0], keepdim));
    case R_SOFTMAX: return kt::wrap(at::softmax(x, dims[0]));
    case R_LOG_SOFTMAX: return kt::wrap(at::log_softmax(x, dims[0]));
    case R_CUMSUM: return kt::wrap(at::cumsum(x, dims[0]));
  }
  throw std::runtime_error("unknown reduction " + std::to_string(op));
  KT_CATCH(nullptr)
}

// max/min/sort/topk along a dim: values and indices.
enum Pair { P_MAX, P_MIN, P_SORT, P_TOPK };
KT_API TH kt_pair(int op, TH a, int64_t dim, int keepdim, int64_t k, TH* indices) {
  KT_TRY
  std::tuple<at::Tensor, at::Tensor> r;
  switch (op) {
    case P_MAX: r = at::max(*a, dim, keepdim); break;
    case P_MIN: r = at::min(*a, dim, keepdim); break;
    case P_SORT: r = at::sort(*a, dim, keepdim != 0); break;  // keepdim carries `descending`
    case P_TOPK: r = at::topk(*a, k, dim); break;
    default: throw std::runtime_error("unknown pair op " + std::to_string(op));
  }
  *indices = kt::wrap(std::get<1>(r));
  return kt::wrap(std::get<0>(r));
  KT_CATCH(nullptr)
}

enum Shape {
  S_RESHAPE, S_VIEW, S_PERMUTE, S_EXPAND, S_REPEAT, S_SQUEEZE, S_UNSQUEEZE, S_TRANSPOSE, S_NARROW, S_SLICE,
  S_FLATTEN, S_SQUEEZE_ALL, S_SELECT, S_FLIP, S_ROLL, S_REPEAT_INTERLEAVE, S_TRIL, S_TRIU, S_DIAG, S_UNFOLD
};

KT_API TH kt_shape_op(int op, TH a, const int64_t* args, int nargs) {
  KT_TRY
  const at::Tensor& x = *a;
  auto v = kt::dims(args, nargs);
  switch (op) {
    case S_RESHAPE: return kt::wrap(x.reshape(v));
    case S_VIEW: return kt::wrap(x.view(v));
    case S_PERMUTE: return kt::wrap(x.permute(v));
    case S_EXPAND: return kt::wrap(x.expand(v));
    case S_REPEAT: return kt::wrap(x.repeat(v));
    case S_SQUEEZE: return kt::wrap(x.squeeze(args[0]));
    case S_SQUEEZE_ALL: return kt::wrap(x.squeeze());
    case S_UNSQUEEZE: return kt::wrap(x.unsqueeze(args[0]));
    case S_TRANSPOSE: return kt::wrap(x.transpose(args[0], args[1]));
    case S_NARROW: return kt::wrap(x.narrow(args[0], args[1], args[2]));
    case S_SLICE: return kt::wrap(x.slice(args[0], args[1], args[2], args[3]));
    case S_FLATTEN: return kt::wrap(x.flatten(args[0], args[1]));
    case S_SELECT: return kt::wrap(x.select(args[0], args[1]));
    case S_FLIP: return kt::wrap(x.flip(v));
    case S_ROLL: return kt::wrap(x.roll(args[0], args[1]));
    case S_REPEAT_INTERLEAVE: return kt::wrap(x.repeat_interleave(args[0], args[1]));
    case S_TRIL: return kt::wrap(x.tril(args[0]));
    case S_TRIU: return kt::wrap(x.triu(args[0]));
    case S_DIAG: return kt::wrap(x.diag(args[0]));
    case S_UNFOLD: return kt::wrap(x.unfold(args[0], args[1], args[2]));
  }
  throw std::runtime_error("unknown shape op " + std::to_string(op));
  KT_CATCH(nullptr)
}

enum Index { X_INDEX_SELECT, X_GATHER, X_SCATTER, X_MASKED_FILL, X_WHERE, X_SCATTER_ADD, X_MASKED_SELECT, X_INDEX };

// Indexing ops along `dim` with up to two tensor operands.
KT_API TH kt_index_op(int op, TH a, int64_t dim, TH b, TH c) {
  KT_TRY
  const at::Tensor& x = *a;
  switch (op) {
    case X_INDEX_SELECT: return kt::wrap(at::index_select(x, dim, *b));
    case X_GATHER: return kt::wrap(at::gather(x, dim, *b));
    case X_SCATTER: return kt::wrap(at::scatter(x, dim, *b, *c));
    case X_SCATTER_ADD: return kt::wrap(at::scatter_add(x, dim, *b, *c));
    case X_MASKED_FILL: return kt::wrap(at::masked_fill(x, *b, *c));
    case X_WHERE: return kt::wrap(at::where(x, *b, *c));  // x is the condition
    case X_MASKED_SELECT: return kt::wrap(at::masked_select(x, *b));
    case X_INDEX: {  // boolean or long index in the first dimension: x[b]
      c10::List<c10::optional<at::Tensor>> idx;
      idx.push_back(*b);
      return kt::wrap(at::index(x, idx));
    }
  }
  throw std::runtime_error("unknown index op " + std::to_string(op));
  KT_CATCH(nullptr)
}

KT_API TH kt_masked_fill_scalar(TH a, TH mask, double value) {
  KT_TRY
  return kt::wrap(at::masked_fill(*a, *mask, value));
  KT_CATCH(nullptr)
}
KT_API int kt_masked_fill_inplace(TH a, TH mask, double value) {
  KT_TRY
  a->masked_fill_(*mask, value);
  return 0;
  KT_CATCH(-1)
}

KT_API TH kt_clamp(TH a, double lo, double hi, int has_lo, int has_hi) {
  KT_TRY
  c10::optional<at::Scalar> l, h;
  if (has_lo) l = lo;
  if (has_hi) h = hi;
  return kt::wrap(at::clamp(*a, l, h));
  KT_CATCH(nullptr)
}

enum ListOp { L_CAT, L_STACK };
KT_API TH kt_list_op(int op, TH* hs, int n, int64_t dim) {
  KT_TRY
  auto v = kt::list(hs, n);
  return kt::wrap(op == L_CAT ? at::cat(v, dim) : at::stack(v, dim));
  KT_CATCH(nullptr)
}

// split (by sizes; one size = equal chunks of it), chunk (args[0] chunks) or unbind.
// Writes up to maxout handles into out and returns the count, or -1.
enum SplitOp { SP_SPLIT, SP_SPLIT_SIZES, SP_CHUNK, SP_UNBIND };
KT_API int kt_split(int op, TH a, const int64_t* args, int nargs, int64_t dim, TH* out, int maxout) {
  KT_TRY
  std::vector<at::Tensor> parts;
  switch (op) {
    case SP_SPLIT: parts = at::split(*a, args[0], dim); break;
    case SP_SPLIT_SIZES: parts = at::split_with_sizes(*a, kt::dims(args, nargs), dim); break;
    case SP_CHUNK: parts = at::chunk(*a, args[0], dim); break;
    case SP_UNBIND: parts = at::unbind(*a, dim); break;
    default: throw std::runtime_error("unknown split op");
  }
  if ((int)parts.size() > maxout) throw std::runtime_error("split: more parts than the caller's buffer");
  for (size_t i = 0; i < parts.size(); i++) out[i] = kt::wrap(parts[i]);
  return (int)parts.size();
  KT_CATCH(-1)
}

// mode: 0 constant, 1 reflect, 2 replicate, 3 circular (as F.pad).
KT_API TH kt_pad(TH a, const int64_t* pads, int npads, int mode, double value) {
  KT_TRY
  static const char* modes[] = {"constant", "reflect", "replicate", "circular"};
  auto p = kt::dims(pads, npads);
  if (mode == 0) return kt::wrap(at::constant_pad_nd(*a, p, value));
  return kt::wrap(at::pad(*a, p, modes[mode], c10::nullopt));
  KT_CATCH(nullptr)
}

KT_API int kt_allclose(TH a, TH b, double rtol, double atol) {
  KT_TRY
  return at::allclose(*a, *b, rtol, atol) ? 1 : 0;
  KT_CATCH(-1)
}
