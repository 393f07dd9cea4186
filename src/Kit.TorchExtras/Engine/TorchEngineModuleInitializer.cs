using System.Runtime.CompilerServices;

namespace Kit.TorchExtras.Engine;

/// <summary>
/// Applies <see cref="TorchEngine"/>'s settings when the assembly holding this file is first touched. One file,
/// compiled into Kit.TorchExtras and linked into each assembly whose models run tensor ops (Kit.Models,
/// Kit.Tortoise: see their .csproj). It cannot be one initializer for all: .NET runs a module initializer only
/// when code of its own assembly first runs, and a model assembly can reach libtorch through TorchSharp alone
/// (building and running a TacotronModel touches nothing in Kit.TorchExtras), so without its own copy its first
/// convolution could run before oneDNN was decided. EnsureConfigured runs once per process, whichever comes first.
/// </summary>
internal static class TorchEngineModuleInitializer
{
#pragma warning disable CA2255 // a library initializer on purpose: before any of its models run
    [ModuleInitializer]
    internal static void OnLoad() => TorchEngine.EnsureConfigured();
}
