using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Kit.TorchExtras;

/// <summary>
/// libtorch's own autocast switches (at::autocast::*) and its oneDNN switch, which TorchSharp 0.107 does not wrap. They are plain
/// C++ functions of enums and bools (c10::DeviceType and c10::ScalarType are int8 enums), exported by
/// libtorch_cpu.so, so they are called by their mangled names: no C++ shim to build, and the op lists stay
/// libtorch's (the same lists Python's torch.autocast uses). The library is the one TorchSharp already
/// loaded, found by its soname: a second copy would have its own autocast state and silently do nothing.
/// </summary>
internal static partial class LibTorchAutocast
{
    private const string Lib = "libtorch_cpu";

    static LibTorchAutocast() => NativeLibrary.SetDllImportResolver(typeof(LibTorchAutocast).Assembly, Resolve);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Lib) return IntPtr.Zero;
        torch.InitializeDeviceType(DeviceType.CPU); // makes TorchSharp load its libtorch first
        return NativeLibrary.TryLoad("libtorch_cpu.so", out var handle) ? handle
            : NativeLibrary.Load(Path.Combine(Path.GetDirectoryName(typeof(torch).Assembly.Location)!, "libtorch_cpu.so"));
    }

    /// <summary>Runs the static constructor (the resolver) before the first call.</summary>
    internal static void EnsureResolver() { }

    [LibraryImport(Lib, EntryPoint = "_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb")]
    internal static partial void set_enabled(sbyte device, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport(Lib, EntryPoint = "_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool is_enabled(sbyte device);

    [LibraryImport(Lib, EntryPoint = "_ZN2at8autocast18set_autocast_dtypeEN3c1010DeviceTypeENS1_10ScalarTypeE")]
    internal static partial void set_dtype(sbyte device, sbyte dtype);

    [LibraryImport(Lib, EntryPoint = "_ZN2at8autocast18get_autocast_dtypeEN3c1010DeviceTypeE")]
    internal static partial sbyte get_dtype(sbyte device);

    [LibraryImport(Lib, EntryPoint = "_ZN2at8autocast26set_autocast_cache_enabledEb")]
    internal static partial void set_cache_enabled([MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport(Lib, EntryPoint = "_ZN2at8autocast25is_autocast_cache_enabledEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool is_cache_enabled();

    [LibraryImport(Lib, EntryPoint = "_ZN2at8autocast17increment_nestingEv")]
    internal static partial int increment_nesting();

    [LibraryImport(Lib, EntryPoint = "_ZN2at8autocast17decrement_nestingEv")]
    internal static partial int decrement_nesting();

    [LibraryImport(Lib, EntryPoint = "_ZN2at13globalContextEv")]
    internal static partial IntPtr global_context();

    [LibraryImport(Lib, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    internal static partial void set_user_enabled_mkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport(Lib, EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    internal static partial void set_user_enabled_nnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport(Lib, EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool user_enabled_mkldnn(IntPtr context);

    // at::show_config() and at::get_parallel_info() return a std::string (libstdc++'s C++11 layout: data pointer,
    // length, 16-byte inline buffer), which x86-64 Linux returns through a hidden first argument. LibTorchBuild reads it.
    [LibraryImport(Lib, EntryPoint = "_ZN2at11show_configB5cxx11Ev")]
    internal static partial IntPtr show_config(IntPtr result);

    [LibraryImport(Lib, EntryPoint = "_ZN2at17get_parallel_infoB5cxx11Ev")]
    internal static partial IntPtr get_parallel_info(IntPtr result);

    /// <summary>libstdc++'s operator delete, for a std::string's heap buffer allocated by libtorch.</summary>
    [LibraryImport("libstdc++.so.6", EntryPoint = "_ZdlPv")]
    internal static partial void operator_delete(IntPtr pointer);

    /// <summary>
    /// The branch MKL (linked into libtorch_cpu.so) chose for this process, as mkl_cbwr_get_auto_branch() returns it
    /// (MKL_CBWR_*: 14 AVX512_E1, 10 AVX2, 2 for non-Intel CPUs); libtorch exports only MKL's internal name for it.
    /// Its first call makes MKL choose, if nothing has yet.
    /// </summary>
    [LibraryImport(Lib, EntryPoint = "mkl_serv_cbwr_get_auto_branch")]
    internal static partial int mkl_auto_branch();

    [LibraryImport(Lib, EntryPoint = "_ZN2at8autocast11clear_cacheEv")]
    internal static partial void clear_cache();
}
