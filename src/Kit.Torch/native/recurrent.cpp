// LSTM and GRU training on the CPU with hand-written backwards.
//
// at::lstm / at::gru's CPU paths record a handful of autograd nodes per time step, so their backward
// accumulates the recurrent weight's gradient as one rank-B product per step (a [gates·H, H] matrix written T
// times) and sums the bias gradient T times. Here the forward keeps the gate activations of every step, and
// the backward runs only what is recurrent (the hidden-state gradient) step by step, then forms the weight
// and bias gradients of all steps at once: one [gates·H, T·B] x [T·B, H] product instead of T small ones. The
// input projection of all steps is one product in both directions too.
#include "shim.h"
#include <ATen/autocast_mode.h>
#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/custom_function.h>

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// One layer in one direction over a time-major input [T, B, I]; gate order i, f, g, o as PyTorch's.
struct LstmLayer : public torch::autograd::Function<LstmLayer> {
  static variable_list forward(AutogradContext* ctx, const at::Tensor& x, const at::Tensor& h0, const at::Tensor& c0,
                               const at::Tensor& w_ih, const at::Tensor& w_hh, const at::Tensor& b_ih,
                               const at::Tensor& b_hh, bool reverse) {
    const int64_t T = x.size(0), B = x.size(1), I = x.size(2), H = w_hh.size(1);
    // Steps run in processing order s; time t = reverse ? T-1-s : s. Inputs are flipped once, not per step.
    auto xs = (reverse ? x.flip(0) : x).contiguous();
    const bool has_bias = b_ih.numel() > 0;
    auto gates = has_bias ? at::addmm(b_ih + b_hh, xs.view({T * B, I}), w_ih.t())
                                : at::mm(xs.view({T * B, I}), w_ih.t());
    gates = gates.view({T, B, 4 * H});
    auto hs = at::empty({T + 1, B, H}, x.options());
    auto cs = at::empty({T + 1, B, H}, x.options());
    auto tanh_cs = at::empty({T, B, H}, x.options());
    hs[0].copy_(h0);
    cs[0].copy_(c0);
    auto w_hh_t = w_hh.t();
    for (int64_t s = 0; s < T; s++) {
      auto g = gates[s];
      g.addmm_(hs[s], w_hh_t);  // the gates' activations overwrite their pre-activations: backward needs only those
      g.narrow(1, 0, 2 * H).sigmoid_();
      g.narrow(1, 2 * H, H).tanh_();
      g.narrow(1, 3 * H, H).sigmoid_();
      auto c = cs[s + 1];
      at::mul_out(c, g.narrow(1, H, H), cs[s]);
      c.addcmul_(g.narrow(1, 0, H), g.narrow(1, 2 * H, H));
      auto tc = tanh_cs[s], h = hs[s + 1];
      at::tanh_out(tc, c);
      at::mul_out(h, g.narrow(1, 3 * H, H), tc);
    }
    auto out = hs.narrow(0, 1, T);
    out = reverse ? out.flip(0) : out.clone();
    ctx->save_for_backward({xs, w_ih, w_hh, gates, hs, cs, tanh_cs});
    ctx->saved_data["reverse"] = reverse;
    ctx->saved_data["has_bias"] = has_bias;
    return {out, hs[T].clone(), cs[T].clone()};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    auto saved = ctx->get_saved_variables();
    auto &xs = saved[0], &w_ih = saved[1], &w_hh = saved[2], &gates = saved[3], &hs = saved[4], &cs = saved[5],
         &tanh_cs = saved[6];
    const bool reverse = ctx->saved_data["reverse"].toBool();
    const bool has_bias = ctx->saved_data["has_bias"].toBool();
    const int64_t T = xs.size(0), B = xs.size(1), I = xs.size(2), H = w_hh.size(1);

    at::Tensor grad_out;
    if (grads[0].defined()) grad_out = (reverse ? grads[0].flip(0) : grads[0]).contiguous();
    auto dh = grads[1].defined() ? grads[1].clone() : at::zeros({B, H}, xs.options());
    auto dc = grads[2].defined() ? grads[2].clone() : at::zeros({B, H}, xs.options());
    auto d_gates = at::empty({T, B, 4 * H}, xs.options());
    for (int64_t s = T - 1; s >= 0; s--) {
      if (grad_out.defined()) dh.add_(grad_out[s]);
      auto g = gates[s];
      auto i = g.narrow(1, 0, H), f = g.narrow(1, H, H), gg = g.narrow(1, 2 * H, H), o = g.narrow(1, 3 * H, H);
      auto tc = tanh_cs[s];
      // dc_t = dc + dh * o * (1 - tanh(c)^2)
      dc.addcmul_(dh * o, 1 - tc * tc);
      auto d = d_gates[s];
      auto di = d.narrow(1, 0, H), df = d.narrow(1, H, H), dgg = d.narrow(1, 2 * H, H), d_o = d.narrow(1, 3 * H, H);
      at::mul_out(di, dc * gg, i * (1 - i));
      at::mul_out(df, dc * cs[s], f * (1 - f));
      at::mul_out(dgg, dc * i, 1 - gg * gg);
      at::mul_out(d_o, dh * tc, o * (1 - o));
      dc.mul_(f);
      dh = at::mm(d, w_hh);
    }
    auto dg = d_gates.view({T * B, 4 * H});
    auto grad_w_ih = at::mm(dg.t(), xs.view({T * B, I}));
    auto grad_w_hh = at::mm(dg.t(), hs.narrow(0, 0, T).reshape({T * B, H}));
    auto grad_x = at::mm(dg, w_ih).view({T, B, I});
    if (reverse) grad_x = grad_x.flip(0);
    at::Tensor grad_b = has_bias ? dg.sum(0) : at::Tensor();
    return {grad_x, dh, dc, grad_w_ih, grad_w_hh, grad_b, has_bias ? grad_b.clone() : at::Tensor(), at::Tensor()};
  }
};

// One GRU layer in one direction over a time-major input [T, B, I]; gate order r, z, n as PyTorch's:
// n = tanh(x·W_in + b_in + r * (h·W_hn + b_hn)), h' = (1 - z) * n + z * h.
struct GruLayer : public torch::autograd::Function<GruLayer> {
  static variable_list forward(AutogradContext* ctx, const at::Tensor& x, const at::Tensor& h0, const at::Tensor& w_ih,
                               const at::Tensor& w_hh, const at::Tensor& b_ih, const at::Tensor& b_hh, bool reverse) {
    const int64_t T = x.size(0), B = x.size(1), I = x.size(2), H = w_hh.size(1);
    const bool has_bias = b_ih.numel() > 0;
    auto xs = (reverse ? x.flip(0) : x).contiguous();
    auto gi = has_bias ? at::addmm(b_ih, xs.view({T * B, I}), w_ih.t()) : at::mm(xs.view({T * B, I}), w_ih.t());
    gi = gi.view({T, B, 3 * H});
    // Per step: r, z, n and the recurrent part of n's pre-activation (h·W_hn + b_hn), which backward needs.
    auto acts = at::empty({T, B, 4 * H}, x.options());
    auto hs = at::empty({T + 1, B, H}, x.options());
    hs[0].copy_(h0);
    auto w_hh_t = w_hh.t();
    for (int64_t s = 0; s < T; s++) {
      auto gh = has_bias ? at::addmm(b_hh, hs[s], w_hh_t) : at::mm(hs[s], w_hh_t);
      auto a = acts[s], g = gi[s];
      auto rz = a.narrow(1, 0, 2 * H), n = a.narrow(1, 2 * H, H), ghn = a.narrow(1, 3 * H, H);
      at::add_out(rz, g.narrow(1, 0, 2 * H), gh.narrow(1, 0, 2 * H));
      rz.sigmoid_();
      ghn.copy_(gh.narrow(1, 2 * H, H));
      at::addcmul_out(n, g.narrow(1, 2 * H, H), a.narrow(1, 0, H), ghn);
      n.tanh_();
      auto h = hs[s + 1];
      at::sub_out(h, hs[s], n);
      h.mul_(a.narrow(1, H, H)).add_(n);
    }
    auto out = hs.narrow(0, 1, T);
    out = reverse ? out.flip(0) : out.clone();
    ctx->save_for_backward({xs, w_ih, w_hh, acts, hs});
    ctx->saved_data["reverse"] = reverse;
    ctx->saved_data["has_bias"] = has_bias;
    return {out, hs[T].clone()};
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    auto saved = ctx->get_saved_variables();
    auto &xs = saved[0], &w_ih = saved[1], &w_hh = saved[2], &acts = saved[3], &hs = saved[4];
    const bool reverse = ctx->saved_data["reverse"].toBool();
    const bool has_bias = ctx->saved_data["has_bias"].toBool();
    const int64_t T = xs.size(0), B = xs.size(1), I = xs.size(2), H = w_hh.size(1);

    at::Tensor grad_out;
    if (grads[0].defined()) grad_out = (reverse ? grads[0].flip(0) : grads[0]).contiguous();
    auto dh = grads[1].defined() ? grads[1].clone() : at::zeros({B, H}, xs.options());
    // Gradients of the input part (x·W_ih + b_ih) and of the recurrent part (h·W_hh + b_hh) of the gates:
    // the same for r and z, apart for n, whose recurrent part is scaled by r.
    auto d_gi = at::empty({T, B, 3 * H}, xs.options());
    auto d_gh = at::empty({T, B, 3 * H}, xs.options());
    for (int64_t s = T - 1; s >= 0; s--) {
      if (grad_out.defined()) dh.add_(grad_out[s]);
      auto a = acts[s];
      auto r = a.narrow(1, 0, H), z = a.narrow(1, H, H), n = a.narrow(1, 2 * H, H), ghn = a.narrow(1, 3 * H, H);
      auto gi = d_gi[s], gh = d_gh[s];
      auto dr = gi.narrow(1, 0, H), dz = gi.narrow(1, H, H), dn = gi.narrow(1, 2 * H, H);
      at::mul_out(dn, dh * (1 - z), 1 - n * n);
      at::mul_out(dz, dh * (hs[s] - n), z * (1 - z));
      at::mul_out(dr, dn * ghn, r * (1 - r));
      gh.narrow(1, 0, 2 * H).copy_(gi.narrow(1, 0, 2 * H));
      auto dhn = gh.narrow(1, 2 * H, H);
      at::mul_out(dhn, dn, r);
      dh = at::addmm(dh * z, gh, w_hh);
    }
    auto gi2 = d_gi.view({T * B, 3 * H}), gh2 = d_gh.view({T * B, 3 * H});
    auto grad_w_ih = at::mm(gi2.t(), xs.view({T * B, I}));
    auto grad_w_hh = at::mm(gh2.t(), hs.narrow(0, 0, T).reshape({T * B, H}));
    auto grad_x = at::mm(gi2, w_ih).view({T, B, I});
    if (reverse) grad_x = grad_x.flip(0);
    return {grad_x, dh, grad_w_ih, grad_w_hh, has_bias ? gi2.sum(0) : at::Tensor(), has_bias ? gh2.sum(0) : at::Tensor(),
            at::Tensor()};
  }
};

}  // namespace

// Whether kt_rnn takes the paths above: CPU training of float tensors. Inference (no gradient wanted) and
// other devices keep at::lstm / at::gru (cuDNN on CUDA, oneDNN for CPU inference).
bool kt_rnn_fused_applies(const at::Tensor& input, const std::vector<at::Tensor>& params) {
  if (!input.is_cpu() || input.dim() != 3 || !at::isFloatingType(input.scalar_type())) return false;
  if (!c10::GradMode::is_enabled()) return false;
  // Under autocast libtorch's own kernels decide each op's dtype; the layers above assume one dtype throughout.
  if (at::autocast::is_cpu_enabled()) return false;
  for (auto& p : params)
    if (p.scalar_type() != input.scalar_type()) return false;
  if (input.requires_grad()) return true;
  for (auto& p : params)
    if (p.requires_grad()) return true;
  return false;
}

// at::lstm's and at::gru's signature and results (output, h_n[, c_n]), over LstmLayer / GruLayer; c0 is
// undefined for a GRU.
std::vector<at::Tensor> kt_rnn_fused(bool is_lstm, const at::Tensor& input, const at::Tensor& h0, const at::Tensor& c0,
                                     const std::vector<at::Tensor>& params, bool has_biases, int64_t num_layers,
                                     double dropout, bool train, bool bidirectional, bool batch_first) {
  const int64_t dirs = bidirectional ? 2 : 1, per = has_biases ? 4 : 2;
  TORCH_CHECK((int64_t)params.size() == num_layers * dirs * per, is_lstm ? "LSTM" : "GRU", ": expected ",
              num_layers * dirs * per, " weights, got ", params.size());
  auto x = batch_first ? input.transpose(0, 1) : input;
  // No bias: empty placeholders, since autograd functions in libtorch 1.13 cannot take undefined inputs.
  auto none = at::empty({0}, x.options());
  std::vector<at::Tensor> h_n, c_n;
  for (int64_t layer = 0; layer < num_layers; layer++) {
    std::vector<at::Tensor> outs;
    for (int64_t dir = 0; dir < dirs; dir++) {
      const int64_t k = layer * dirs + dir;
      const at::Tensor* w = &params[k * per];
      auto b_ih = has_biases ? w[2] : none, b_hh = has_biases ? w[3] : none;
      auto r = is_lstm ? LstmLayer::apply(x, h0[k], c0[k], w[0], w[1], b_ih, b_hh, dir == 1)
                       : GruLayer::apply(x, h0[k], w[0], w[1], b_ih, b_hh, dir == 1);
      outs.push_back(r[0]);
      h_n.push_back(r[1]);
      if (is_lstm) c_n.push_back(r[2]);
    }
    x = dirs == 2 ? at::cat(outs, 2) : outs[0];
    if (dropout > 0 && train && layer < num_layers - 1) x = at::dropout(x, dropout, true);
  }
  std::vector<at::Tensor> result{batch_first ? x.transpose(0, 1) : x, at::stack(h_n)};
  if (is_lstm) result.push_back(at::stack(c_n));
  return result;
}
