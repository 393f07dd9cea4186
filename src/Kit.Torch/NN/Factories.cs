using Kit.Torch.Modules;

namespace Kit.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static Linear Linear(long in_features, long out_features, bool hasBias = true) => new(in_features, out_features, hasBias);
        public static Conv1d Conv1d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool bias = true) =>
            new(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias);
        public static Conv2d Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0) =>
            new(in_channels, out_channels, kernel_size, stride, padding);
        public static ConvTranspose1d ConvTranspose1d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long output_padding = 0, long groups = 1, bool bias = true, long dilation = 1) =>
            new(in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation);
        public static Embedding Embedding(long num_embeddings, long embedding_dim, long? padding_idx = null) => new(num_embeddings, embedding_dim, padding_idx);
        public static LayerNorm LayerNorm(long normalized_shape, double eps = 1e-5) => new(normalized_shape, eps);
        public static BatchNorm1d BatchNorm1d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true) => new(num_features, eps, momentum, affine);
        public static Dropout Dropout(double p = 0.5) => new(p);
        public static LSTM LSTM(long input_size, long hidden_size, long num_layers = 1, bool bias = true, bool batch_first = false, double dropout = 0, bool bidirectional = false) =>
            new(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional);
        public static GRU GRU(long input_size, long hidden_size, long num_layers = 1, bool bias = true, bool batch_first = false, double dropout = 0, bool bidirectional = false) =>
            new(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional);
        public static LSTMCell LSTMCell(long input_size, long hidden_size, bool bias = true) => new(input_size, hidden_size, bias);
        public static GRUCell GRUCell(long input_size, long hidden_size, bool bias = true) => new(input_size, hidden_size, bias);
        public static Sequential Sequential(params Module<Tensor, Tensor>[] modules) => new(modules);
        public static ModuleList<T> ModuleList<T>(params T[] modules) where T : Module => new(modules);
        public static MultiheadAttention MultiheadAttention(long embed_dim, long num_heads, double dropout = 0, bool bias = true, bool batch_first = false) =>
            new(embed_dim, num_heads, dropout, bias, batch_first);
        public static ReLU ReLU() => new();
        public static Tanh Tanh() => new();
        public static GELU GELU() => new();
    }
}
