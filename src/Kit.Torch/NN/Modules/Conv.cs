using static Kit.Torch.torch;

namespace Kit.Torch.Modules;

public sealed class Conv1d : nn.Module<Tensor, Tensor>
{
    public Parameter weight;
    public Parameter? bias;
    private readonly long stride, padding, dilation, groups;

    public Conv1d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool bias = true)
        : base(nameof(Conv1d))
    {
        (this.stride, this.padding, this.dilation, this.groups) = (stride, padding, dilation, groups);
        var fanIn = in_channels / groups * kernel_size;
        weight = Init.KaimingUniform([out_channels, in_channels / groups, kernel_size], fanIn);
        register_parameter("weight", weight);
        if (bias)
        {
            this.bias = Init.Uniform([out_channels], 1.0 / Math.Sqrt(fanIn));
            register_parameter("bias", this.bias);
        }
    }

    public override Tensor forward(Tensor input) => nn.functional.conv1d(input, weight, bias, stride, padding, dilation, groups);
}

public sealed class Conv2d : nn.Module<Tensor, Tensor>
{
    public Parameter weight;
    public Parameter? bias;
    private readonly long[] stride, padding, dilation;
    private readonly long groups;

    public Conv2d(long in_channels, long out_channels, long[] kernel_size, long[]? stride = null, long[]? padding = null, long[]? dilation = null, long groups = 1, bool bias = true)
        : base(nameof(Conv2d))
    {
        this.stride = stride ?? [1, 1];
        this.padding = padding ?? [0, 0];
        this.dilation = dilation ?? [1, 1];
        this.groups = groups;
        var fanIn = in_channels / groups * kernel_size[0] * kernel_size[1];
        weight = Init.KaimingUniform([out_channels, in_channels / groups, kernel_size[0], kernel_size[1]], fanIn);
        register_parameter("weight", weight);
        if (bias)
        {
            this.bias = Init.Uniform([out_channels], 1.0 / Math.Sqrt(fanIn));
            register_parameter("bias", this.bias);
        }
    }

    public Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0)
        : this(in_channels, out_channels, [kernel_size, kernel_size], [stride, stride], [padding, padding]) { }

    public override Tensor forward(Tensor input) => nn.functional.conv2d(input, weight, bias, stride, padding, dilation, groups);
}

public sealed class ConvTranspose1d : nn.Module<Tensor, Tensor>
{
    public Parameter weight;
    public Parameter? bias;
    private readonly long stride, padding, outputPadding, dilation, groups;

    public ConvTranspose1d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long output_padding = 0,
        long groups = 1, bool bias = true, long dilation = 1) : base(nameof(ConvTranspose1d))
    {
        (this.stride, this.padding, outputPadding, this.dilation, this.groups) = (stride, padding, output_padding, dilation, groups);
        // PyTorch takes fan-in from weight dim 1 (out_channels / groups) for transposed convolutions.
        var fanIn = out_channels / groups * kernel_size;
        weight = Init.KaimingUniform([in_channels, out_channels / groups, kernel_size], fanIn);
        register_parameter("weight", weight);
        if (bias)
        {
            this.bias = Init.Uniform([out_channels], 1.0 / Math.Sqrt(fanIn));
            register_parameter("bias", this.bias);
        }
    }

    public override Tensor forward(Tensor input) =>
        nn.functional.conv_transpose1d(input, weight, bias, stride, padding, outputPadding, groups, dilation);
}
