// Optimizer steps and gradient clipping, each one native call over every parameter so a training step
// pays the managed/native crossing once rather than per tensor and per op.
#include "shim.h"
#include <ATen/Parallel.h>
#include <cmath>

// Adam / AdamW as torch.optim (1.13, single-tensor path). `step` is the count after this update.
// Contiguous float32 CPU tensors take a fused one-pass loop; anything else takes ATen in-place ops.
KT_API int kt_adam_step(TH* params, TH* exp_avg, TH* exp_avg_sq, TH* max_exp_avg_sq, int n, double lr, double beta1,
                        double beta2, double eps, double weight_decay, int decoupled, int amsgrad, int64_t step) {
  KT_TRY
  at::NoGradGuard no_grad;
  const double bc1 = 1 - std::pow(beta1, (double)step);
  const double bc2 = 1 - std::pow(beta2, (double)step);
  const double step_size = lr / bc1, bc2_sqrt = std::sqrt(bc2);
  for (int i = 0; i < n; i++) {
    at::Tensor& p = *params[i];
    const at::Tensor& g0 = p.grad();
    if (!g0.defined()) continue;
    at::Tensor& m = *exp_avg[i];
    at::Tensor& v = *exp_avg_sq[i];
    bool fused = p.device().is_cpu() && p.scalar_type() == at::kFloat && g0.scalar_type() == at::kFloat && p.is_contiguous() &&
                 g0.is_contiguous() && m.is_contiguous() && v.is_contiguous() && (!amsgrad || max_exp_avg_sq[i]->is_contiguous());
    if (fused) {
      float* pp = p.data_ptr<float>();
      const float* gp = g0.data_ptr<float>();
      float* mp = m.data_ptr<float>();
      float* vp = v.data_ptr<float>();
      float* mx = amsgrad ? max_exp_avg_sq[i]->data_ptr<float>() : nullptr;
      // Scalars are rounded to float as ATen rounds them, and each update is written in the order of
      // PyTorch's op sequence, so the result matches torch.optim to the last bit or two.
      const float b1 = (float)beta1, b2 = (float)beta2, omb1 = (float)(1 - beta1), omb2 = (float)(1 - beta2);
      const float wd = (float)weight_decay, decay = (float)(1 - lr * weight_decay);
      const float neg_ss = (float)(-step_size), bs = (float)bc2_sqrt, e = (float)eps;
      at::parallel_for(0, p.numel(), 16384, [&](int64_t begin, int64_t end) {
        for (int64_t j = begin; j < end; j++) {
          float g = gp[j];
          if (decoupled) pp[j] *= decay;
          else if (wd != 0) g += wd * pp[j];
          float m = mp[j] * b1;
          m = m + omb1 * g;
          mp[j] = m;
          float v = vp[j] * b2;
          v = v + omb2 * g * g;
          vp[j] = v;
          if (mx) { mx[j] = std::max(mx[j], v); v = mx[j]; }
          float denom = std::sqrt(v) / bs + e;
          pp[j] = pp[j] + neg_ss * (m / denom);
        }
      });
      continue;
    }
    at::Tensor g = g0;
    if (decoupled) p.mul_(1 - lr * weight_decay);
    else if (weight_decay != 0) g = g.add(p, weight_decay);
    m.mul_(beta1).add_(g, 1 - beta1);
    v.mul_(beta2).addcmul_(g, g, 1 - beta2);
    at::Tensor denom;
    if (amsgrad) {
      at::maximum_out(*max_exp_avg_sq[i], *max_exp_avg_sq[i], v);
      denom = (max_exp_avg_sq[i]->sqrt() / bc2_sqrt).add_(eps);
    } else {
      denom = (v.sqrt() / bc2_sqrt).add_(eps);
    }
    p.addcdiv_(m, denom, -step_size);
  }
  return 0;
  KT_CATCH(-1)
}

// SGD with momentum as torch.optim.SGD (1.13). `first` says the momentum buffers are fresh: PyTorch
// then starts each buffer as a copy of the gradient rather than decaying zeros.
KT_API int kt_sgd_step(TH* params, TH* bufs, int n, double lr, double momentum, double dampening, double weight_decay,
                       int nesterov, int first) {
  KT_TRY
  at::NoGradGuard no_grad;
  for (int i = 0; i < n; i++) {
    at::Tensor& p = *params[i];
    at::Tensor d = p.grad();
    if (!d.defined()) continue;
    if (weight_decay != 0) d = d.add(p, weight_decay);
    if (momentum != 0) {
      at::Tensor& buf = *bufs[i];
      if (first) buf.copy_(d);
      else buf.mul_(momentum).add_(d, 1 - dampening);
      d = nesterov ? d.add(buf, momentum) : buf;
    }
    p.add_(d, -lr);
  }
  return 0;
  KT_CATCH(-1)
}

// torch.nn.utils.clip_grad_norm_: returns the total norm before clipping. A NaN norm is legitimate
// (NaN gradients), so the error is cleared first and the caller reads it.
KT_API double kt_clip_grad_norm(TH* params, int n, double max_norm, double norm_type) {
  kt::set_error("");
  KT_TRY
  at::NoGradGuard no_grad;
  std::vector<at::Tensor> norms;
  for (int i = 0; i < n; i++) {
    const at::Tensor& g = params[i]->grad();
    if (g.defined()) norms.push_back(std::isinf(norm_type) ? g.abs().max() : at::norm(g, norm_type));
  }
  if (norms.empty()) return 0.0;
  at::Tensor total = std::isinf(norm_type) ? at::stack(norms).max() : at::norm(at::stack(norms), norm_type);
  at::Tensor coef = (max_norm / (total + 1e-6)).clamp_max(1.0);
  for (int i = 0; i < n; i++) {
    at::Tensor g = params[i]->grad();
    if (g.defined()) g.mul_(coef.to(g.device()));
  }
  return total.item<double>();
  KT_CATCH(std::nan(""))
}

// ---- GradScaler (fp16 loss scaling) ----
// libtorch 1.13 registers _amp_foreach_non_finite_check_and_unscale_ and _amp_update_scale_ for CUDA only;
// on other devices the same updates are written with ordinary tensor ops. Everything stays on the device
// (no .item() per gradient): the caller reads found_inf once, as torch.amp.GradScaler does.

// Multiplies every gradient by inv_scale and sets found_inf (a 1-element float tensor) to 1 when any
// gradient holds an inf or NaN; found_inf is only ever raised, so several calls can share it.
KT_API int kt_amp_unscale(TH* params, int n, TH found_inf, TH inv_scale) {
  KT_TRY
  at::NoGradGuard no_grad;
  std::vector<at::Tensor> grads;
  for (int i = 0; i < n; i++) {
    const at::Tensor& g = params[i]->grad();
    if (g.defined()) grads.push_back(g);
  }
  if (grads.empty()) return 0;
  bool all_cuda = found_inf->is_cuda();
  for (const auto& g : grads) all_cuda = all_cuda && g.device() == found_inf->device();
  if (all_cuda) {
    at::_amp_foreach_non_finite_check_and_unscale_(grads, *found_inf, *inv_scale);
    return 0;
  }
  const at::Tensor factor = inv_scale->reshape({});
  for (auto& g : grads) {
    at::Tensor bad = at::logical_not(at::isfinite(g)).any().to(found_inf->scalar_type()).to(found_inf->device());
    found_inf->copy_(at::maximum(*found_inf, bad));
    g.mul_(factor.to(g.device()));
  }
  return 0;
  KT_CATCH(-1)
}

// After a step: an overflow multiplies the scale by `backoff` and restarts the count of clean steps;
// `interval` clean steps in a row multiply it by `growth` (kept only while it stays finite).
// scale: 1-element float, growth_tracker: 1-element int32, found_inf: 1-element float, one device.
KT_API int kt_amp_update_scale(TH scale, TH growth_tracker, TH found_inf, double growth, double backoff, int64_t interval) {
  KT_TRY
  at::NoGradGuard no_grad;
  if (scale->is_cuda()) {
    at::_amp_update_scale_(*scale, *growth_tracker, *found_inf, growth, backoff, interval);
    return 0;
  }
  at::Tensor found = found_inf->gt(0);
  at::Tensor counted = growth_tracker->add(1);
  at::Tensor grown = scale->mul(growth);
  at::Tensor grow = at::logical_and(at::logical_not(found), at::logical_and(counted.ge(interval), at::isfinite(grown)));
  at::Tensor restart = at::logical_or(found, counted.ge(interval));
  at::Tensor next = at::where(found, scale->mul(backoff), at::where(grow, grown, *scale));
  scale->copy_(next);
  growth_tracker->copy_(at::where(restart, at::zeros_like(counted), counted));
  return 0;
  KT_CATCH(-1)
}
