using System.Runtime.CompilerServices;

namespace Kit.Tortoise;

/// <summary>The kit's libtorch settings (see Kit.TorchExtras.TorchEngine) before this assembly's models run.</summary>
internal static class TorchEngineSetup
{
#pragma warning disable CA2255 // a library initializer on purpose: before any of its models run
    [ModuleInitializer]
    internal static void OnLoad() => Kit.TorchExtras.TorchEngine.EnsureConfigured();
}
