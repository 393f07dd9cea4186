using System.Reflection;
using Kit.Torch.Modules;
using static Kit.Torch.Native.LibKitTorch;

namespace Kit.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// A layer or model: named parameters, buffers and submodules (registered explicitly or found by
        /// <see cref="RegisterComponents"/>), with PyTorch's dotted state-dict names so a PyTorch state
        /// dict loads name for name.
        /// </summary>
        public abstract partial class Module : IDisposable
        {
            private readonly List<(string name, Parameter? p)> parameters_ = [];
            private readonly List<(string name, Tensor? t, bool persistent)> buffers_ = [];
            private readonly List<(string name, Module m)> modules_ = [];

            protected Module(string name) => this.name = name;

            public string name { get; }

            public bool training { get; private set; } = true;

            public void register_parameter(string name, Parameter? p)
            {
                parameters_.RemoveAll(e => e.name == name);
                parameters_.Add((name, p));
            }

            /// <summary>Buffers (running statistics, masks) move with the module and, if persistent, are saved.</summary>
            public void register_buffer(string name, Tensor? t, bool persistent = true)
            {
                t?.DetachFromDisposeScope();
                buffers_.RemoveAll(e => e.name == name);
                buffers_.Add((name, t, persistent));
            }

            public void register_module(string name, Module m)
            {
                modules_.RemoveAll(e => e.name == name);
                modules_.Add((name, m));
            }

            /// <summary>
            /// Registers this module's fields, in declaration order: Parameter fields as parameters, Module
            /// fields as submodules, other Tensor fields as buffers. A leading underscore is dropped from names.
            /// </summary>
            protected void RegisterComponents()
            {
                var chain = new Stack<Type>();
                for (var t = GetType(); t is not null && t != typeof(Module); t = t.BaseType) chain.Push(t);
                foreach (var type in chain)
                foreach (var f in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (f.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute))) continue;
                    var name = f.Name.TrimStart('_');
                    switch (f.GetValue(this))
                    {
                        case Parameter p: register_parameter(name, p); break;
                        case Module m: register_module(name, m); break;
                        case Tensor t: register_buffer(name, t); break;
                    }
                }
            }

            public IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true)
            {
                foreach (var (n, p) in parameters_)
                    if (p is not null) yield return (n, p);
                if (!recurse) yield break;
                foreach (var (mn, m) in modules_)
                foreach (var (n, p) in m.named_parameters())
                    yield return ($"{mn}.{n}", p);
            }

            public IEnumerable<Parameter> parameters(bool recurse = true) => named_parameters(recurse).Select(e => e.parameter);

            public IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true) => Buffers(recurse, persistentOnly: false);

            public IEnumerable<Tensor> buffers(bool recurse = true) => named_buffers(recurse).Select(e => e.buffer);

            private IEnumerable<(string name, Tensor buffer)> Buffers(bool recurse, bool persistentOnly)
            {
                foreach (var (n, t, persistent) in buffers_)
                    if (t is not null && (persistent || !persistentOnly)) yield return (n, t);
                if (!recurse) yield break;
                foreach (var (mn, m) in modules_)
                foreach (var (n, t) in m.Buffers(true, persistentOnly))
                    yield return ($"{mn}.{n}", t);
            }

            public IEnumerable<(string name, Module module)> named_children() => modules_;

            public IEnumerable<Module> children() => modules_.Select(e => e.m);

            /// <summary>This module (named "") and every descendant, depth first.</summary>
            public IEnumerable<(string name, Module module)> named_modules()
            {
                yield return ("", this);
                foreach (var (mn, m) in modules_)
                foreach (var (n, sub) in m.named_modules())
                    yield return (n.Length == 0 ? mn : $"{mn}.{n}", sub);
            }

            /// <summary>Parameters and persistent buffers by dotted name, in registration order; the tensors are the module's own.</summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var d = new Dictionary<string, Tensor>();
                foreach (var (n, t) in StateEntries()) d[n] = t;
                return d;
            }

            private IEnumerable<(string name, Tensor t)> StateEntries()
            {
                foreach (var (n, p) in parameters_)
                    if (p is not null) yield return (n, p);
                foreach (var (n, t, persistent) in buffers_)
                    if (t is not null && persistent) yield return (n, t);
                foreach (var (mn, m) in modules_)
                foreach (var (n, t) in m.StateEntries())
                    yield return ($"{mn}.{n}", t);
            }

            /// <summary>
            /// Copies values in by name. With strict, a missing or unexpected name (or a shape mismatch) is
            /// an error listing them all; otherwise they are returned.
            /// </summary>
            public (IList<string> missing_keys, IList<string> unexpected_keys) load_state_dict(IReadOnlyDictionary<string, Tensor> source, bool strict = true)
            {
                var own = state_dict();
                var missing = own.Keys.Where(k => !source.ContainsKey(k)).ToList();
                var unexpected = source.Keys.Where(k => !own.ContainsKey(k)).ToList();
                var mismatched = own.Where(e => source.TryGetValue(e.Key, out var s) && !s.shape.SequenceEqual(e.Value.shape))
                    .Select(e => $"{e.Key}: checkpoint [{string.Join(", ", source[e.Key].shape)}], model [{string.Join(", ", e.Value.shape)}]").ToList();
                if (mismatched.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
                {
                    var parts = new List<string>();
                    if (missing.Count > 0) parts.Add("missing: " + string.Join(", ", missing));
                    if (unexpected.Count > 0) parts.Add("unexpected: " + string.Join(", ", unexpected));
                    if (mismatched.Count > 0) parts.Add("shape mismatch: " + string.Join("; ", mismatched));
                    throw new InvalidOperationException($"load_state_dict into {GetType().Name}: " + string.Join(" | ", parts));
                }
                using (no_grad())
                using (NewDisposeScope())
                {
                    foreach (var (k, t) in own)
                        if (source.TryGetValue(k, out var s)) t.copy_(s);
                }
                return (missing, unexpected);
            }

            public virtual Module train(bool on = true)
            {
                training = on;
                foreach (var m in children()) m.train(on);
                return this;
            }

            public Module eval() => train(false);

            /// <summary>Moves parameters and buffers in place (a Parameter stays the same object, as in PyTorch).</summary>
            public Module to(Device device) => Move(t => t.to(device));

            /// <summary>Converts floating-point parameters and buffers; integer buffers keep their type.</summary>
            public Module to(ScalarType dtype) => Move(t => t.is_floating_point() ? t.to(dtype) : t.to(t.dtype));

            public Module to(ScalarType dtype, Device device) => Move(t => t.is_floating_point() ? t.to(dtype, device) : t.to(device));

            public Module cuda() => to(CUDA);
            public Module cpu() => to(CPU);

            private Module Move(Func<Tensor, Tensor> convert)
            {
                using (no_grad())
                using (NewDisposeScope())
                {
                    foreach (var (_, p) in parameters_)
                        if (p is not null) Check(kt_set_data(p.Handle, convert(p).Handle));
                    foreach (var (_, b, _) in buffers_)
                        if (b is not null) Check(kt_set_data(b.Handle, convert(b).Handle));
                }
                foreach (var m in children()) m.Move(convert);
                return this;
            }

            /// <summary>Drops every parameter's gradient (PyTorch 2's default, set_to_none) or zeroes it.</summary>
            public void zero_grad(bool set_to_none = true)
            {
                foreach (var p in parameters())
                {
                    if (set_to_none) p.grad = null;
                    else
                    {
                        using var g = p.grad;
                        g?.zero_();
                    }
                }
            }

            public virtual void Dispose()
            {
                foreach (var (_, p) in parameters_) p?.Dispose();
                foreach (var (_, b, _) in buffers_) b?.Dispose();
                foreach (var m in children()) m.Dispose();
                GC.SuppressFinalize(this);
            }

            public override string ToString() => $"{GetType().Name}({name})";
        }

        /// <summary>A module with one input and one output: <c>forward</c> does the work, <c>call</c> runs it.</summary>
        public abstract class Module<T, TResult> : Module
        {
            protected Module(string name) : base(name) { }

            public abstract TResult forward(T input);

            public TResult call(T input) => forward(input);
        }

        /// <summary>A module with two inputs.</summary>
        public abstract class Module<T1, T2, TResult> : Module
        {
            protected Module(string name) : base(name) { }

            public abstract TResult forward(T1 input1, T2 input2);

            public TResult call(T1 input1, T2 input2) => forward(input1, input2);
        }
    }
}
