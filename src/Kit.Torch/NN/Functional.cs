using Kit.Torch.Native;
using static Kit.Torch.Native.LibKitTorch;

namespace Kit.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>How a loss reduces over elements, as PyTorch's `reduction=` (numbered as at::Reduction).</summary>
        public enum Reduction { None = 0, Mean = 1, Sum = 2 }

        public enum PaddingModes { Constant = 0, Reflect = 1, Replicate = 2, Circular = 3 }

        public static unsafe partial class functional
        {
            private static IntPtr H(Tensor? t) => t is null ? IntPtr.Zero : t.Handle;

            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null) =>
                new(Check(kt_linear(input.Handle, weight.Handle, H(bias))));

            private static Tensor Conv(int kind, Tensor x, Tensor w, Tensor? b, long[] stride, long[] padding, long[] dilation, long[] outputPadding, long groups)
            {
                fixed (long* s = stride) fixed (long* p = padding) fixed (long* d = dilation) fixed (long* o = outputPadding)
                    return new(Check(kt_conv(kind, x.Handle, w.Handle, H(b), s, p, d, o, stride.Length, groups)));
            }

            public static Tensor conv1d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
                Conv(0, input, weight, bias, [stride], [padding], [dilation], [0], groups);

            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null, long[]? dilation = null, long groups = 1) =>
                Conv(1, input, weight, bias, stride ?? [1, 1], padding ?? [0, 0], dilation ?? [1, 1], [0, 0], groups);

            public static Tensor conv_transpose1d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long output_padding = 0, long groups = 1, long dilation = 1) =>
                Conv(2, input, weight, bias, [stride], [padding], [dilation], [output_padding], groups);

            public static Tensor conv_transpose2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null, long[]? output_padding = null, long groups = 1, long[]? dilation = null) =>
                Conv(3, input, weight, bias, stride ?? [1, 1], padding ?? [0, 0], dilation ?? [1, 1], output_padding ?? [0, 0], groups);

            public static Tensor embedding(Tensor input, Tensor weight, long padding_idx = -1) =>
                new(Check(kt_embedding(weight.Handle, input.Handle, padding_idx)));

            public static Tensor layer_norm(Tensor input, long[] normalized_shape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                fixed (long* s = normalized_shape)
                    return new(Check(kt_layer_norm(input.Handle, s, normalized_shape.Length, H(weight), H(bias), eps)));
            }

            public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null, Tensor? bias = null,
                bool training = false, double momentum = 0.1, double eps = 1e-5) =>
                new(Check(kt_batch_norm(input.Handle, H(weight), H(bias), H(running_mean), H(running_var), training ? 1 : 0, momentum, eps)));

            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true) =>
                new(Check(kt_dropout(input.Handle, p, training ? 1 : 0)));

            public static Tensor relu(Tensor x) => x.relu();
            public static Tensor gelu(Tensor x) => x.gelu();
            public static Tensor silu(Tensor x) => x.silu();
            public static Tensor tanh(Tensor x) => x.tanh();
            public static Tensor sigmoid(Tensor x) => x.sigmoid();
            public static Tensor softplus(Tensor x) => Tensor.Unary(Native.Unary.Softplus, x);
            public static Tensor leaky_relu(Tensor x) => Tensor.Unary(Native.Unary.LeakyRelu, x);
            public static Tensor elu(Tensor x) => Tensor.Unary(Native.Unary.Elu, x);
            public static Tensor softmax(Tensor x, long dim) => x.softmax(dim);
            public static Tensor log_softmax(Tensor x, long dim) => x.log_softmax(dim);

            private static Tensor Loss(LossKind kind, Tensor x, Tensor target, Tensor? weight, Tensor? posWeight, Reduction reduction, long ignoreIndex = -100, double smoothing = 0) =>
                new(Check(kt_loss((int)kind, x.Handle, target.Handle, H(weight), H(posWeight), (int)reduction, ignoreIndex, smoothing)));

            /// <summary>Cross entropy over class logits (dim 1); targets equal to ignore_index count nowhere.</summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100,
                Reduction reduction = Reduction.Mean, double label_smoothing = 0) =>
                Loss(LossKind.CrossEntropy, input, target, weight, null, reduction, ignore_index, label_smoothing);

            public static Tensor nll_loss(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean) =>
                Loss(LossKind.Nll, input, target, weight, null, reduction, ignore_index);

            public static Tensor binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? pos_weight = null) =>
                Loss(LossKind.BceWithLogits, input, target, weight, pos_weight, reduction);

            public static Tensor binary_cross_entropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean) =>
                Loss(LossKind.Bce, input, target, weight, null, reduction);

            public static Tensor l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) => Loss(LossKind.L1, input, target, null, null, reduction);
            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) => Loss(LossKind.Mse, input, target, null, null, reduction);
            public static Tensor smooth_l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1.0) =>
                Loss(LossKind.SmoothL1, input, target, null, null, reduction, -100, beta);

            /// <summary>F.pad: pads given last dimension first, as (left, right, top, bottom, ...).</summary>
            public static Tensor pad(Tensor input, long[] pad, PaddingModes mode = PaddingModes.Constant, double value = 0)
            {
                fixed (long* p = pad) return new(Check(kt_pad(input.Handle, p, pad.Length, (int)mode, value)));
            }

            /// <summary>
            /// softmax(q kᵀ / √d + mask) v. A bool mask keeps positions where it is true (as PyTorch 2's
            /// F.scaled_dot_product_attention); a float mask is added to the scores.
            /// </summary>
            public static Tensor scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask = null,
                double dropout_p = 0, bool is_causal = false, double? scale = null)
            {
                using var scope = NewDisposeScope();
                var d = query.size(-1);
                var scores = query.matmul(key.transpose(-2, -1)) * (scale ?? 1.0 / Math.Sqrt(d));
                if (is_causal)
                {
                    long l = query.size(-2), s = key.size(-2);
                    var keep = ones([l, s], ScalarType.Bool, query.device).tril();
                    scores = scores.masked_fill(keep.logical_not(), double.NegativeInfinity);
                }
                if (attn_mask is not null)
                {
                    scores = attn_mask.dtype == ScalarType.Bool
                        ? scores.masked_fill(attn_mask.logical_not(), double.NegativeInfinity)
                        : scores + attn_mask;
                }
                var weights = scores.softmax(-1);
                if (dropout_p > 0) weights = dropout(weights, dropout_p, true);
                return scope.MoveToOuter(weights.matmul(value));
            }
        }

        public static class utils
        {
            /// <summary>Scales gradients so their joint norm is at most max_norm; returns the norm before.</summary>
            public static unsafe double clip_grad_norm_(IEnumerable<Tensor> parameters, double max_norm, double norm_type = 2)
            {
                var list = parameters.ToArray();
                var handles = new IntPtr[list.Length];
                for (int i = 0; i < list.Length; i++) handles[i] = list[i].Handle;
                fixed (IntPtr* h = handles)
                {
                    var total = kt_clip_grad_norm(h, handles.Length, max_norm, norm_type);
                    if (double.IsNaN(total) && LastError().Length > 0) throw Fail();
                    return total;
                }
            }
        }
    }
}
