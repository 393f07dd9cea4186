// Neural-network functions: linear/conv/norm layers, losses, recurrent layers and the STFT.
#include "shim.h"

KT_API TH kt_linear(TH x, TH w, TH b) {
  KT_TRY
  return kt::wrap(at::linear(*x, *w, kt::opt(b)));
  KT_CATCH(nullptr)
}

// kind: 0 conv1d, 1 conv2d, 2 conv_transpose1d, 3 conv_transpose2d. Array args have `n` entries each.
KT_API TH kt_conv(int kind, TH x, TH w, TH b, const int64_t* stride, const int64_t* padding, const int64_t* dilation,
                  const int64_t* output_padding, int n, int64_t groups) {
  KT_TRY
  auto s = kt::dims(stride, n), p = kt::dims(padding, n), d = kt::dims(dilation, n), op = kt::dims(output_padding, n);
  switch (kind) {
    case 0: return kt::wrap(at::conv1d(*x, *w, kt::opt(b), s, p, d, groups));
    case 1: return kt::wrap(at::conv2d(*x, *w, kt::opt(b), s, p, d, groups));
    case 2: return kt::wrap(at::conv_transpose1d(*x, *w, kt::opt(b), s, p, op, groups, d));
    case 3: return kt::wrap(at::conv_transpose2d(*x, *w, kt::opt(b), s, p, op, groups, d));
  }
  throw std::runtime_error("unknown conv kind");
  KT_CATCH(nullptr)
}

KT_API TH kt_embedding(TH w, TH idx, int64_t padding_idx) {
  KT_TRY
  return kt::wrap(at::embedding(*w, *idx, padding_idx));
  KT_CATCH(nullptr)
}

KT_API TH kt_layer_norm(TH x, const int64_t* shape, int n, TH w, TH b, double eps) {
  KT_TRY
  return kt::wrap(at::layer_norm(*x, kt::dims(shape, n), kt::opt(w), kt::opt(b), eps));
  KT_CATCH(nullptr)
}

// Updates running_mean/var in place when training, as F.batch_norm does.
KT_API TH kt_batch_norm(TH x, TH w, TH b, TH rm, TH rv, int training, double momentum, double eps) {
  KT_TRY
  return kt::wrap(at::batch_norm(*x, kt::opt(w), kt::opt(b), kt::opt(rm), kt::opt(rv), training != 0, momentum, eps, true));
  KT_CATCH(nullptr)
}

KT_API TH kt_dropout(TH x, double p, int train) {
  KT_TRY
  return kt::wrap(at::dropout(*x, p, train != 0));
  KT_CATCH(nullptr)
}

// reduction: 0 none, 1 mean, 2 sum (at::Reduction).
enum Loss { LS_CROSS_ENTROPY, LS_NLL, LS_BCE_LOGITS, LS_L1, LS_MSE, LS_BCE, LS_SMOOTH_L1 };
KT_API TH kt_loss(int kind, TH x, TH target, TH weight, TH pos_weight, int reduction, int64_t ignore_index, double smoothing) {
  KT_TRY
  switch (kind) {
    case LS_CROSS_ENTROPY: return kt::wrap(at::cross_entropy_loss(*x, *target, kt::opt(weight), reduction, ignore_index, smoothing));
    case LS_NLL: return kt::wrap(at::nll_loss_nd(*x, *target, kt::opt(weight), reduction, ignore_index));
    case LS_BCE_LOGITS: return kt::wrap(at::binary_cross_entropy_with_logits(*x, *target, kt::opt(weight), kt::opt(pos_weight), reduction));
    case LS_L1: return kt::wrap(at::l1_loss(*x, *target, reduction));
    case LS_MSE: return kt::wrap(at::mse_loss(*x, *target, reduction));
    case LS_BCE: return kt::wrap(at::binary_cross_entropy(*x, *target, kt::opt(weight), reduction));
    case LS_SMOOTH_L1: return kt::wrap(at::smooth_l1_loss(*x, *target, reduction, smoothing));
  }
  throw std::runtime_error("unknown loss");
  KT_CATCH(nullptr)
}

// recurrent.cpp: LSTM and GRU layers with hand-written backwards, for CPU training.
bool kt_rnn_fused_applies(const at::Tensor& input, const std::vector<at::Tensor>& params);
std::vector<at::Tensor> kt_rnn_fused(bool is_lstm, const at::Tensor& input, const at::Tensor& h0, const at::Tensor& c0,
                                     const std::vector<at::Tensor>& params, bool has_biases, int64_t num_layers,
                                     double dropout, bool train, bool bidirectional, bool batch_first);

// Sequence RNNs over at::lstm / at::gru, or recurrent.cpp's layers when training on the CPU. params are PyTorch's flat weights (w_ih, w_hh[, b_ih, b_hh]
// per layer and direction). out receives output, h_n and (LSTM) c_n.
KT_API int kt_rnn(int is_lstm, TH input, TH* hx, int nhx, TH* params, int nparams, int has_biases, int64_t num_layers,
                  double dropout, int train, int bidirectional, int batch_first, TH* out) {
  KT_TRY
  auto p = kt::list(params, nparams);
  auto h = kt::list(hx, nhx);
  if ((int)h.size() == (is_lstm ? 2 : 1) && kt_rnn_fused_applies(*input, p)) {
    auto r = kt_rnn_fused(is_lstm != 0, *input, h[0], is_lstm ? h[1] : at::Tensor(), p, has_biases != 0, num_layers,
                          dropout, train != 0, bidirectional != 0, batch_first != 0);
    for (size_t i = 0; i < r.size(); i++) out[i] = kt::wrap(r[i]);
  } else if (is_lstm) {
    auto r = at::lstm(*input, h, p, has_biases != 0, num_layers, dropout, train != 0, bidirectional != 0, batch_first != 0);
    out[0] = kt::wrap(std::get<0>(r));
    out[1] = kt::wrap(std::get<1>(r));
    out[2] = kt::wrap(std::get<2>(r));
  } else {
    auto r = at::gru(*input, h[0], p, has_biases != 0, num_layers, dropout, train != 0, bidirectional != 0, batch_first != 0);
    out[0] = kt::wrap(std::get<0>(r));
    out[1] = kt::wrap(std::get<1>(r));
  }
  return 0;
  KT_CATCH(-1)
}

KT_API int kt_lstm_cell(TH x, TH h, TH c, TH w_ih, TH w_hh, TH b_ih, TH b_hh, TH* out) {
  KT_TRY
  auto r = at::lstm_cell(*x, {*h, *c}, *w_ih, *w_hh, kt::opt(b_ih), kt::opt(b_hh));
  out[0] = kt::wrap(std::get<0>(r));
  out[1] = kt::wrap(std::get<1>(r));
  return 0;
  KT_CATCH(-1)
}

KT_API TH kt_gru_cell(TH x, TH h, TH w_ih, TH w_hh, TH b_ih, TH b_hh) {
  KT_TRY
  return kt::wrap(at::gru_cell(*x, *h, *w_ih, *w_hh, kt::opt(b_ih), kt::opt(b_hh)));
  KT_CATCH(nullptr)
}

// Complex STFT as torch.stft(..., return_complex=True); pad_mode 0 reflect, 1 constant.
KT_API TH kt_stft(TH x, int64_t n_fft, int64_t hop, int64_t win_length, TH window, int center, int pad_mode, int normalized, int onesided) {
  KT_TRY
  return kt::wrap(at::stft(*x, n_fft, hop, win_length, kt::opt(window), center != 0, pad_mode == 0 ? "reflect" : "constant",
                           normalized != 0, onesided != 0, true));
  KT_CATCH(nullptr)
}

KT_API TH kt_istft(TH x, int64_t n_fft, int64_t hop, int64_t win_length, TH window, int center, int normalized, int onesided, int64_t length) {
  KT_TRY
  c10::optional<int64_t> len;
  if (length > 0) len = length;
  return kt::wrap(at::istft(*x, n_fft, hop, win_length, kt::opt(window), center != 0, normalized != 0, onesided != 0, len, false));
  KT_CATCH(nullptr)
}

KT_API TH kt_multinomial(TH probs, int64_t n, int replacement) {
  KT_TRY
  return kt::wrap(at::multinomial(*probs, n, replacement != 0));
  KT_CATCH(nullptr)
}
