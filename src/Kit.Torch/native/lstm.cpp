// LSTM training on the CPU with a hand-written backward.
//
// at::lstm's CPU path records a handful of autograd nodes per time step, so its backward accumulates the
// recurrent weight's gradient as one rank-B product per step (a [4H, H] matrix written T times) and sums the
// bias gradient T times. Here the forward keeps the gate activations of every step, and the backward runs
// the recurrence only for what is recurrent (the hidden-state gradient), then forms the weight and bias
// gradients of all steps at once: one [4H, T·B] x [T·B, H] product instead of T small ones. The input
// projection of all steps is one product in both directions too.
#include "shim.h"
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

}  // namespace

// Whether kt_rnn takes the path above: CPU training of float tensors. Inference (no gradient wanted) and other
// devices keep at::lstm (cuDNN on CUDA, oneDNN for CPU inference).
bool kt_lstm_fused_applies(const at::Tensor& input, const std::vector<at::Tensor>& params) {
  if (!input.is_cpu() || input.dim() != 3 || !at::isFloatingType(input.scalar_type())) return false;
  if (!c10::GradMode::is_enabled()) return false;
  if (input.requires_grad()) return true;
  for (auto& p : params)
    if (p.requires_grad()) return true;
  return false;
}

// at::lstm's signature and results (output, h_n, c_n), over LstmLayer.
std::tuple<at::Tensor, at::Tensor, at::Tensor> kt_lstm_fused(const at::Tensor& input, const at::Tensor& h0,
                                                             const at::Tensor& c0, const std::vector<at::Tensor>& params,
                                                             bool has_biases, int64_t num_layers, double dropout,
                                                             bool train, bool bidirectional, bool batch_first) {
  const int64_t dirs = bidirectional ? 2 : 1, per = has_biases ? 4 : 2;
  TORCH_CHECK((int64_t)params.size() == num_layers * dirs * per, "LSTM: expected ", num_layers * dirs * per,
              " weights, got ", params.size());
  auto x = batch_first ? input.transpose(0, 1) : input;
  std::vector<at::Tensor> h_n, c_n;
  for (int64_t layer = 0; layer < num_layers; layer++) {
    std::vector<at::Tensor> outs;
    for (int64_t dir = 0; dir < dirs; dir++) {
      const int64_t k = layer * dirs + dir;
      const at::Tensor* w = &params[k * per];
      // No bias: empty placeholders, since autograd functions in libtorch 1.13 cannot take undefined inputs.
      auto none = at::empty({0}, x.options());
      auto r = LstmLayer::apply(x, h0[k], c0[k], w[0], w[1], has_biases ? w[2] : none, has_biases ? w[3] : none, dir == 1);
      outs.push_back(r[0]);
      h_n.push_back(r[1]);
      c_n.push_back(r[2]);
    }
    x = dirs == 2 ? at::cat(outs, 2) : outs[0];
    if (dropout > 0 && train && layer < num_layers - 1) x = at::dropout(x, dropout, true);
  }
  return {batch_first ? x.transpose(0, 1) : x, at::stack(h_n), at::stack(c_n)};
}
