// Shared by the shim's sources: handles, the thread-local last error and the guard every entry point uses.
// Tensors cross the boundary as heap-allocated at::Tensor*; a null return means "failed, read kt_last_error".
#pragma once
#include <ATen/ATen.h>
#include <string>
#include <vector>

#define KT_API extern "C" __attribute__((visibility("default")))

typedef at::Tensor* TH;

namespace kt {
void set_error(const char* msg);
inline TH wrap(at::Tensor t) { return new at::Tensor(std::move(t)); }
inline at::Tensor opt(TH h) { return h ? *h : at::Tensor(); }
inline std::vector<at::Tensor> list(TH* hs, int n) {
  std::vector<at::Tensor> v;
  v.reserve(n);
  for (int i = 0; i < n; i++) v.push_back(*hs[i]);
  return v;
}
inline at::IntArrayRef dims(const int64_t* p, int n) { return at::IntArrayRef(p, (size_t)n); }
inline at::TensorOptions options(int dtype, int device_type, int device_index) {
  return at::TensorOptions()
      .dtype((at::ScalarType)dtype)
      .device(at::Device((c10::DeviceType)device_type, (c10::DeviceIndex)device_index));
}
// A double from C# as the Scalar PyTorch would use: whole numbers stay integers for integer tensors,
// so `long_tensor + 1` keeps its dtype.
inline at::Scalar scalar_for(const at::Tensor& x, double s) {
  if (s == (double)(int64_t)s && at::isIntegralType(x.scalar_type(), true)) return at::Scalar((int64_t)s);
  return at::Scalar(s);
}
}  // namespace kt

// No C++ exception may cross into .NET: every entry point runs its body inside this guard.
#define KT_TRY try {
#define KT_CATCH(fail)                                   \
  }                                                      \
  catch (const c10::Error& e) {                          \
    kt::set_error(e.what_without_backtrace());           \
    return fail;                                         \
  }                                                      \
  catch (const std::exception& e) {                      \
    kt::set_error(e.what());                             \
    return fail;                                         \
  }                                                      \
  catch (...) {                                          \
    kt::set_error("unknown native error");               \
    return fail;                                         \
  }
