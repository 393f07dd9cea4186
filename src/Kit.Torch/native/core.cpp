// Library state, tensor creation, properties, bulk copies, device/dtype moves and autograd.
#include "shim.h"
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <c10/core/GradMode.h>
#include <torch/cuda.h>
#include <cstring>
#include <thread>

static thread_local std::string last_error;
void kt::set_error(const char* msg) { last_error = msg ? msg : ""; }

KT_API const char* kt_last_error() { return last_error.c_str(); }

KT_API int kt_init(int threads) {
  KT_TRY
  // libtorch reports one intra-op thread unless told; the kit defaults to every core.
  if (threads <= 0) threads = (int)std::thread::hardware_concurrency();
  if (threads > 0) at::set_num_threads(threads);
  return at::get_num_threads();
  KT_CATCH(-1)
}

KT_API int kt_get_num_threads() { return at::get_num_threads(); }
KT_API void kt_set_num_threads(int n) { try { at::set_num_threads(n); } catch (...) {} }
KT_API int kt_cuda_device_count() { try { return (int)torch::cuda::device_count(); } catch (...) { return 0; } }
KT_API void kt_cuda_synchronize() {
  try {
    if (torch::cuda::is_available()) torch::cuda::synchronize();
  } catch (...) {}
}
KT_API void kt_manual_seed(uint64_t seed) {
  try {
    at::manual_seed(seed);
    if (torch::cuda::is_available()) torch::cuda::manual_seed_all(seed);
  } catch (...) {}
}
KT_API int kt_grad_enabled() { return c10::GradMode::is_enabled() ? 1 : 0; }
KT_API void kt_set_grad_enabled(int on) { c10::GradMode::set_enabled(on != 0); }

KT_API void kt_free(TH t) { delete t; }

// ---- properties (cheap, never throw) ----
KT_API int kt_ndim(TH t) { return (int)t->dim(); }
KT_API void kt_shape(TH t, int64_t* out) {
  auto s = t->sizes();
  for (size_t i = 0; i < s.size(); i++) out[i] = s[i];
}
KT_API int64_t kt_size(TH t, int64_t dim) { return t->size(dim); }
KT_API int64_t kt_numel(TH t) { return t->numel(); }
KT_API int kt_dtype(TH t) { return (int)t->scalar_type(); }
KT_API int kt_device_type(TH t) { return (int)t->device().type(); }
KT_API int kt_device_index(TH t) { return (int)t->device().index(); }
KT_API int kt_requires_grad(TH t) { return t->requires_grad() ? 1 : 0; }
KT_API int kt_is_leaf(TH t) { return t->is_leaf() ? 1 : 0; }
KT_API int kt_defined(TH t) { return t && t->defined() ? 1 : 0; }
KT_API int kt_is_contiguous(TH t) { return t->is_contiguous() ? 1 : 0; }
KT_API int64_t kt_element_size(TH t) { return (int64_t)t->element_size(); }

// ---- creation ----
// Copies nbytes from host memory into a new tensor on the given device.
KT_API TH kt_from_blob(const void* data, const int64_t* shape, int ndim, int dtype, int dev, int devidx, int requires_grad) {
  KT_TRY
  auto t = at::empty(kt::dims(shape, ndim), kt::options(dtype, 0, -1));
  if (t.numel() > 0) std::memcpy(t.data_ptr(), data, t.numel() * t.element_size());
  if (dev != 0) t = t.to(at::Device((c10::DeviceType)dev, (c10::DeviceIndex)devidx));
  if (requires_grad) t.requires_grad_(true);
  return kt::wrap(t);
  KT_CATCH(nullptr)
}

enum Factory { F_ZEROS, F_ONES, F_EMPTY, F_FULL, F_RANDN, F_RAND, F_RANDINT, F_EYE, F_ARANGE, F_LINSPACE, F_HANN, F_HAMMING };

KT_API TH kt_factory(int op, const int64_t* shape, int ndim, int dtype, int dev, int devidx, int requires_grad, double a, double b, double c) {
  KT_TRY
  auto o = kt::options(dtype, dev, devidx);
  auto s = kt::dims(shape, ndim);
  at::Tensor t;
  switch (op) {
    case F_ZEROS: t = at::zeros(s, o); break;
    case F_ONES: t = at::ones(s, o); break;
    case F_EMPTY: t = at::empty(s, o); break;
    case F_FULL: t = at::full(s, a, o); break;
    case F_RANDN: t = at::randn(s, o); break;
    case F_RAND: t = at::rand(s, o); break;
    case F_RANDINT: t = at::randint((int64_t)a, (int64_t)b, s, o); break;
    case F_EYE: t = at::eye((int64_t)a, (int64_t)b, o); break;
    case F_ARANGE: t = at::arange(a, b, c, o); break;
    case F_LINSPACE: t = at::linspace(a, b, (int64_t)c, o); break;
    case F_HANN: t = at::hann_window((int64_t)a, b != 0, o); break;
    case F_HAMMING: t = at::hamming_window((int64_t)a, b != 0, o); break;
    default: throw std::runtime_error("unknown factory " + std::to_string(op));
  }
  if (requires_grad) t.requires_grad_(true);
  return kt::wrap(t);
  KT_CATCH(nullptr)
}

// Copies a tensor's elements (made contiguous on the CPU) into host memory of nbytes.
KT_API int kt_copy_out(TH t, void* dst, int64_t nbytes) {
  KT_TRY
  auto c = t->detach().to(at::kCPU).contiguous();
  int64_t n = c.numel() * (int64_t)c.element_size();
  if (n != nbytes) throw std::runtime_error("copy_out: buffer is " + std::to_string(nbytes) + " bytes, tensor has " + std::to_string(n));
  if (n > 0) std::memcpy(dst, c.data_ptr(), n);
  return 0;
  KT_CATCH(-1)
}

// Copies host memory into an existing tensor in place (for loading weights without new handles).
KT_API int kt_copy_in(TH t, const void* src, int64_t nbytes) {
  KT_TRY
  int64_t n = t->numel() * (int64_t)t->element_size();
  if (n != nbytes) throw std::runtime_error("copy_in: buffer is " + std::to_string(nbytes) + " bytes, tensor has " + std::to_string(n));
  at::NoGradGuard g;
  auto tmp = at::empty(t->sizes(), t->options().device(at::kCPU));
  if (n > 0) std::memcpy(tmp.data_ptr(), src, n);
  t->copy_(tmp);
  return 0;
  KT_CATCH(-1)
}

// item's failure value is also a legitimate value, so the error is cleared first and read by the caller.
KT_API double kt_item_double(TH t) {
  last_error.clear();
  KT_TRY
  return t->item<double>();
  KT_CATCH(std::nan(""))
}
KT_API int64_t kt_item_long(TH t) {
  last_error.clear();
  KT_TRY
  return t->item<int64_t>();
  KT_CATCH(INT64_MIN)
}

KT_API TH kt_to(TH t, int dtype, int dev, int devidx, int copy) {
  KT_TRY
  auto st = dtype < 0 ? t->scalar_type() : (at::ScalarType)dtype;
  auto d = dev < 0 ? t->device() : at::Device((c10::DeviceType)dev, (c10::DeviceIndex)devidx);
  return kt::wrap(t->to(d, st, false, copy != 0));
  KT_CATCH(nullptr)
}

// ---- autograd ----
KT_API int kt_set_requires_grad(TH t, int on) {
  KT_TRY
  t->requires_grad_(on != 0);
  return 0;
  KT_CATCH(-1)
}
KT_API int kt_backward(TH t, TH grad, int retain_graph, int create_graph) {
  KT_TRY
  t->backward(kt::opt(grad), retain_graph ? c10::optional<bool>(true) : c10::nullopt, create_graph != 0);
  return 0;
  KT_CATCH(-1)
}
// Returns null without an error when the tensor has no gradient.
KT_API TH kt_grad(TH t) {
  KT_TRY
  auto g = t->grad();
  return g.defined() ? kt::wrap(g) : nullptr;
  KT_CATCH(nullptr)
}
KT_API int kt_set_grad(TH t, TH g) {
  KT_TRY
  t->mutable_grad() = kt::opt(g);
  return 0;
  KT_CATCH(-1)
}
KT_API void kt_clear_grad(TH t) {
  try { t->mutable_grad().reset(); } catch (...) {}
}

// Replaces a tensor's data keeping the object (and so a Parameter's identity), as `param.data = x`.
KT_API int kt_set_data(TH t, TH src) {
  KT_TRY
  t->set_data(*src);
  return 0;
  KT_CATCH(-1)
}

// Raw storage access for serialization: pointer to the first element of a contiguous CPU tensor.
KT_API void* kt_data_ptr(TH t) {
  KT_TRY
  if (!t->device().is_cpu() || !t->is_contiguous()) throw std::runtime_error("data_ptr needs a contiguous CPU tensor");
  return t->data_ptr();
  KT_CATCH(nullptr)
}

KT_API int kt_has_grad(TH t) { return t->grad().defined() ? 1 : 0; }

// ---- autocast (mixed precision) ----
// libtorch keeps autocast's switches, dtypes and nesting per thread (the dispatcher's thread-local key set):
// a thread that runs a forward must enter its own scope. `device` is the kit's DeviceType: 0 CPU, 1 CUDA.
KT_API int kt_autocast_enabled(int device) {
  return (device == 0 ? at::autocast::is_cpu_enabled() : at::autocast::is_enabled()) ? 1 : 0;
}
KT_API void kt_autocast_set_enabled(int device, int on) {
  if (device == 0) at::autocast::set_cpu_enabled(on != 0);
  else at::autocast::set_enabled(on != 0);
}
KT_API int kt_autocast_dtype(int device) {
  return (int)(device == 0 ? at::autocast::get_autocast_cpu_dtype() : at::autocast::get_autocast_gpu_dtype());
}
KT_API void kt_autocast_set_dtype(int device, int dtype) {
  if (device == 0) at::autocast::set_autocast_cpu_dtype((at::ScalarType)dtype);
  else at::autocast::set_autocast_gpu_dtype((at::ScalarType)dtype);
}
KT_API int kt_autocast_cache_enabled() { return at::autocast::is_autocast_cache_enabled() ? 1 : 0; }
KT_API void kt_autocast_set_cache_enabled(int on) { at::autocast::set_autocast_cache_enabled(on != 0); }
KT_API int kt_autocast_increment_nesting() { return at::autocast::increment_nesting(); }
KT_API int kt_autocast_decrement_nesting() { return at::autocast::decrement_nesting(); }
// The cache holds the low-precision copies of weights made inside a scope; freed when the outermost one ends.
KT_API void kt_autocast_clear_cache() { at::autocast::clear_cache(); }

// torch.cuda.is_bf16_supported(): a device of compute capability 8 or newer. Asked through libtorch's CUDA
// hooks, which a CPU build answers with "no CUDA", so the shim needs no CUDA headers to compile.
KT_API int kt_cuda_is_bf16_supported() {
  try {
    const auto& hooks = at::detail::getCUDAHooks();
    return hooks.hasCUDA() && hooks.getNumGPUs() > 0 && hooks.supportsBFloat16ConvolutionWithCuDNNv8() ? 1 : 0;
  } catch (...) {
    return 0;
  }
}
