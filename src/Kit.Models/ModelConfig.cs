using System.Text;
using System.Text.Json;
using Kit.Torch;
using static Kit.Torch.torch;

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
        return JsonSerializer.Deserialize<T>(Encoding.UTF8.GetString(t.data<byte>()))
               ?? throw new InvalidDataException($"{path}: empty {Key}");
    }
}
