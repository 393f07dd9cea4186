namespace Kit.Torch.Formats;

/// <summary>A torch.device a checkpoint may hold (e.g. where it was trained); tensors are always read to the CPU.</summary>
public sealed record TorchDevice(string Type, int? Index = null)
{
    public static TorchDevice Parse(string text)
    {
        var colon = text.IndexOf(':');
        return colon < 0 ? new TorchDevice(text)
            : new TorchDevice(text[..colon], int.Parse(text[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    public override string ToString() => Index is { } i ? $"{Type}:{i}" : Type;
}
