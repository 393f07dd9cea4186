using System.Text;
using System.Text.Json;
using Kit.TorchExtras;
using TorchSharp;
using static TorchSharp.torch;

namespace Kit.Models;

/// <summary>
/// Stores a model's settings (sizes, mel settings, vocabulary) inside its own state dict, as a uint8 tensor of
/// UTF-8 JSON under <see cref="Key"/>: a checkpoint is then enough to rebuild the model for synthesis, and
/// PyTorch reads it like any other tensor.
/// </summary>
public static class ModelConfig
{
    public const string Key = "kit_config";

    public static Tensor ToTensor<T>(T config) =>
        tensor(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(config)), dtype: uint8);

    public static T Read<T>(IReadOnlyDictionary<string, Tensor> stateDict, string path)
    {
        if (!stateDict.TryGetValue(Key, out var t))
            throw new InvalidDataException($"{path}: no {Key} entry; is this a checkpoint of a kit model (inference.pth / weights)?");
        return JsonSerializer.Deserialize<T>(Encoding.UTF8.GetString(t.data<byte>().ToArray()))
               ?? throw new InvalidDataException($"{path}: empty {Key}");
    }

    /// <summary>
    /// A kit model rebuilt from its weights file for inference (a model.pth; Kit.Training's CheckpointPaths finds
    /// it in a checkpoint or run folder): its settings read from the state dict, <paramref name="build"/> makes the module, the
    /// weights load strictly, and it moves to <paramref name="device"/> (the GPU when there is one) in eval mode.
    /// Anything that goes wrong names the file and what it should have held (<paramref name="kind"/>).
    /// </summary>
    public static (TModel Model, TConfig Config, Device Device) LoadForInference<TConfig, TModel>(
        string path, string kind, Func<TConfig, TModel> build, Device? device) where TModel : nn.Module
    {
        var file = path;
        if (Directory.Exists(file))
            throw new FileNotFoundException($"{file}: a folder; give the model's weights file (model.pth), or find a checkpoint or run folder's with CheckpointPaths.Weights", file);
        if (!File.Exists(file)) throw new FileNotFoundException($"{file}: no such weights file", file);
        var weights = TensorFiles.load(file);
        try
        {
            var config = Read<TConfig>(weights, file);
            var model = build(config);
            model.register_buffer(Key, weights[Key].clone().DetachFromDisposeScope());
            model.load_state_dict(weights);
            device ??= ComputeDevice.Best;
            if (device.type != DeviceType.CPU) model.to(device);
            model.eval();
            return (model, config, device);
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            throw new InvalidDataException($"{file}: not a {kind} checkpoint ({e.Message})", e);
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
    }
}
