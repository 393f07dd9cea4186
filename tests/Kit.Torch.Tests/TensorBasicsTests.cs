using Kit.Torch.Native;
using static Kit.Torch.torch;

namespace Kit.Torch.Tests;

public sealed class TensorBasicsTests
{
    [Fact]
    public void Round_trips_data_and_reports_shape_dtype_device()
    {
        using var t = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        Assert.Equal([2L, 3L], t.shape);
        Assert.Equal(float32, t.dtype);
        Assert.Equal(CPU, t.device);
        Assert.Equal([1f, 2, 3, 4, 5, 6], t.data<float>());
        Assert.Equal(21.0, t.sum().item<double>());
        Assert.Equal(6L, t.numel());
        using var l = t.to(int64);
        Assert.Equal([1L, 2, 3, 4, 5, 6], l.data<long>());
        Assert.Equal(6L, l.max().item<long>());
    }

    [Fact]
    public void Libtorch_errors_become_exceptions_with_its_message()
    {
        using var a = zeros(2, 3);
        using var b = zeros(4, 5);
        var e = Assert.Throws<TorchException>(() => a.matmul(b));
        Assert.Contains("cannot be multiplied", e.Message);
        Assert.Throws<ArgumentException>(() => a.data<double>());
    }

    [Fact]
    public void No_grad_scope_stops_recording_and_restores()
    {
        using var w = ones(3).requires_grad_();
        using (no_grad())
        {
            using var y = w * 2;
            Assert.False(y.requires_grad);
        }
        Assert.True(is_grad_enabled());
        using var z = (w * w).sum();
        z.backward();
        Assert.Equal([2f, 2f, 2f], w.grad!.data<float>());
        using var d = w.detach();
        Assert.False(d.requires_grad);
    }

    [Fact]
    public void Manual_seed_repeats_random_draws()
    {
        manual_seed(42);
        var a = randn(5).data<float>();
        manual_seed(42);
        var b = randn(5).data<float>();
        Assert.Equal(a, b);
    }

    [Fact]
    public void Intra_op_threads_default_to_the_machine_cores() => Assert.Equal(Environment.ProcessorCount, get_num_threads());

    [Fact]
    public void Cuda_reports_availability_without_failing()
    {
        // On a CPU-only libtorch this is false; with a CUDA build and a GPU, tensors move there and back.
        if (!cuda.is_available()) return;
        using var t = ones(4).to(CUDA);
        Assert.Equal(DeviceType.CUDA, t.device_type);
        Assert.Equal(4.0, t.sum().cpu().item<double>());
    }

    [Fact]
    public void State_dict_uses_pytorch_names_and_module_to_keeps_parameter_identity()
    {
        using var model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.BatchNorm1d(4));
        var names = model.state_dict().Keys.ToArray();
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "2.running_mean", "2.running_var", "2.num_batches_tracked"], names);
        Assert.Equal(4, model.parameters().Count());
        var first = model.parameters().First();
        model.to(float64);
        Assert.Same(first, model.parameters().First());
        Assert.Equal(float64, first.dtype);
        Assert.Equal(int64, model.state_dict()["2.num_batches_tracked"].dtype);
        var e = Assert.Throws<InvalidOperationException>(() => model.load_state_dict(new Dictionary<string, Tensor> { ["0.weight"] = zeros(4, 3) }));
        Assert.Contains("missing", e.Message);
    }
}
