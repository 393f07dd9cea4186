using static Kit.Torch.torch;

namespace Kit.Torch.Modules;

public sealed class Linear : nn.Module<Tensor, Tensor>
{
    public Parameter weight;
    public Parameter? bias;

    public Linear(long in_features, long out_features, bool hasBias = true) : base(nameof(Linear))
    {
        weight = Init.KaimingUniform([out_features, in_features], in_features);
        register_parameter("weight", weight);
        if (hasBias)
        {
            bias = Init.Uniform([out_features], 1.0 / Math.Sqrt(in_features));
            register_parameter("bias", bias);
        }
    }

    public override Tensor forward(Tensor input) => nn.functional.linear(input, weight, bias);
}

public sealed class Dropout(double p = 0.5) : nn.Module<Tensor, Tensor>(nameof(Dropout))
{
    public override Tensor forward(Tensor input) => nn.functional.dropout(input, p, training);
}

public sealed class Embedding : nn.Module<Tensor, Tensor>
{
    public Parameter weight;
    private readonly long paddingIdx;

    public Embedding(long num_embeddings, long embedding_dim, long? padding_idx = null) : base(nameof(Embedding))
    {
        paddingIdx = padding_idx is { } p ? (p < 0 ? p + num_embeddings : p) : -1;
        weight = Init.Normal([num_embeddings, embedding_dim]);
        if (paddingIdx >= 0)
        {
            using var _ = no_grad();
            using var row = weight.select(0, paddingIdx);
            row.zero_();
        }
        register_parameter("weight", weight);
    }

    public override Tensor forward(Tensor input) => nn.functional.embedding(input, weight, paddingIdx);
}

public sealed class LayerNorm : nn.Module<Tensor, Tensor>
{
    public Parameter? weight, bias;
    private readonly long[] shape;
    private readonly double eps;

    public LayerNorm(long[] normalized_shape, double eps = 1e-5, bool elementwise_affine = true) : base(nameof(LayerNorm))
    {
        shape = normalized_shape;
        this.eps = eps;
        if (elementwise_affine)
        {
            weight = Init.Constant(shape, 1);
            bias = Init.Constant(shape, 0);
            register_parameter("weight", weight);
            register_parameter("bias", bias);
        }
    }

    public LayerNorm(long normalized_shape, double eps = 1e-5) : this([normalized_shape], eps) { }

    public override Tensor forward(Tensor input) => nn.functional.layer_norm(input, shape, weight, bias, eps);
}

/// <summary>Batch norm over (N, C) or (N, C, L), keeping running statistics as PyTorch does.</summary>
public sealed class BatchNorm1d : nn.Module<Tensor, Tensor>
{
    public Parameter? weight, bias;
    public Tensor running_mean, running_var, num_batches_tracked;
    private readonly double eps, momentum;

    public BatchNorm1d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true) : base(nameof(BatchNorm1d))
    {
        this.eps = eps;
        this.momentum = momentum;
        if (affine)
        {
            weight = Init.Constant([num_features], 1);
            bias = Init.Constant([num_features], 0);
            register_parameter("weight", weight);
            register_parameter("bias", bias);
        }
        running_mean = zeros(num_features);
        running_var = ones(num_features);
        num_batches_tracked = zeros([], ScalarType.Int64);
        register_buffer("running_mean", running_mean);
        register_buffer("running_var", running_var);
        register_buffer("num_batches_tracked", num_batches_tracked);
    }

    public override Tensor forward(Tensor input)
    {
        if (training)
        {
            using var _ = no_grad();
            num_batches_tracked.add_(1);
        }
        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps);
    }
}
