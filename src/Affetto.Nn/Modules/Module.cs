using Affetto.Nn.Tensors;

namespace Affetto.Nn.Modules;

/// <summary>
/// Base of every layer and model: holds named parameters, buffers and child modules in registration order, so
/// state-dict keys are PyTorch's (<c>conv1.weight</c>, <c>bn1.running_mean</c>, <c>0.weight</c> in a Sequential).
/// Subclasses register their state in the constructor and implement <see cref="Forward"/>.
/// </summary>
public abstract class Module
{
    private readonly List<KeyValuePair<string, Tensor?>> _parameters = [];
    private readonly List<KeyValuePair<string, Tensor>> _buffers = [];
    private readonly List<KeyValuePair<string, Module>> _children = [];

    /// <summary>True in training mode (the default), false after <see cref="Eval"/>.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Runs the module.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Registers a parameter (a leaf that requires grad), or an absent optional one when null. Returns it.</summary>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        CheckName(name);
        if (!parameter.IsLeaf)
        {
            throw new ArgumentException($"Parameter '{name}' must be a leaf tensor (Detach() it first).", nameof(parameter));
        }

        parameter.RequiresGrad = true;
        _parameters.Add(new(name, parameter));
        return parameter;
    }

    /// <summary>Registers a persistent buffer (saved in the state dict, not trained). Returns it.</summary>
    protected Tensor RegisterBuffer(string name, Tensor buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        CheckName(name);
        _buffers.Add(new(name, buffer));
        return buffer;
    }

    /// <summary>Registers a child module under <paramref name="name"/>. Returns it.</summary>
    protected T RegisterModule<T>(string name, T module)
        where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name);
        _children.Add(new(name, module));
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
        {
            throw new ArgumentException($"Invalid member name '{name}': it must be non-empty and contain no '.'.", nameof(name));
        }

        if (_parameters.Any(p => p.Key == name) || _buffers.Any(p => p.Key == name) || _children.Any(p => p.Key == name))
        {
            throw new ArgumentException($"A member named '{name}' is already registered in {GetType().Name}.", nameof(name));
        }
    }

    /// <summary>
    /// Registers, in declaration order, every instance field or auto-property of the concrete type (and its bases below
    /// <see cref="Module"/>) holding a <see cref="Module"/> or a <see cref="Tensor"/> that is not registered yet. Names come
    /// from <see cref="StateNameAttribute"/> or the member name without a leading underscore and with a lower-case first
    /// letter (<c>_conv1</c> and <c>Conv1</c> become <c>conv1</c>); tensors are parameters unless marked as buffers.
    /// Call it at the end of the constructor.
    /// </summary>
    protected void RegisterFields()
    {
        var types = new List<Type>();
        for (var t = GetType(); t != null && t != typeof(Module); t = t.BaseType)
        {
            types.Insert(0, t);
        }

        foreach (var type in types)
        {
            var fields = type.GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public
                | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.DeclaredOnly);
            foreach (var field in fields.OrderBy(f => f.MetadataToken))
            {
                object? value = field.GetValue(this);
                if (value is not (Module or Tensor))
                {
                    continue;
                }

                var attr = field.GetCustomAttributes(typeof(StateNameAttribute), false).Cast<StateNameAttribute>().FirstOrDefault();
                string memberName = field.Name;
                if (memberName.StartsWith('<') && memberName.Contains(">k__BackingField", StringComparison.Ordinal))
                {
                    memberName = memberName[1..memberName.IndexOf('>', StringComparison.Ordinal)];
                    attr ??= type.GetProperty(memberName, System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public
                        | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.DeclaredOnly)?
                        .GetCustomAttributes(typeof(StateNameAttribute), false).Cast<StateNameAttribute>().FirstOrDefault();
                }

                string name = attr?.Name ?? DefaultName(memberName);
                if (value is Module m)
                {
                    if (!_children.Any(c => ReferenceEquals(c.Value, m)))
                    {
                        RegisterModule(name, m);
                    }
                }
                else if (value is Tensor t && !_parameters.Any(p => ReferenceEquals(p.Value, t)) && !_buffers.Any(b => ReferenceEquals(b.Value, t)))
                {
                    if (attr?.Buffer == true)
                    {
                        RegisterBuffer(name, t);
                    }
                    else
                    {
                        RegisterParameter(name, t);
                    }
                }
            }
        }
    }

    private static string DefaultName(string member)
    {
        string n = member.TrimStart('_');
        return n.Length == 0 ? member : char.ToLowerInvariant(n[0]) + n[1..];
    }

    /// <summary>The direct children with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children.Select(c => (c.Key, c.Value));

    /// <summary>This module and all descendants with dotted names ("" for this one).</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        yield return (prefix, this);
        foreach (var (name, child) in _children)
        {
            foreach (var m in child.NamedModules(Join(prefix, name)))
            {
                yield return m;
            }
        }
    }

    /// <summary>Every parameter with its dotted name, in registration order (own, then children's).</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters(string prefix = "")
    {
        foreach (var (name, p) in _parameters)
        {
            if (p != null)
            {
                yield return (Join(prefix, name), p);
            }
        }

        foreach (var (name, child) in _children)
        {
            foreach (var p in child.NamedParameters(Join(prefix, name)))
            {
                yield return p;
            }
        }
    }

    /// <summary>Every buffer with its dotted name.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers(string prefix = "")
    {
        foreach (var (name, b) in _buffers)
        {
            yield return (Join(prefix, name), b);
        }

        foreach (var (name, child) in _children)
        {
            foreach (var b in child.NamedBuffers(Join(prefix, name)))
            {
                yield return b;
            }
        }
    }

    /// <summary>Every parameter (for optimisers).</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>
    /// Parameters and buffers by PyTorch key, in PyTorch's order (each module's parameters, then its buffers, then its
    /// children). The tensors are the live ones (not copies).
    /// </summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var d = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        AddState(d, string.Empty);
        return d;
    }

    private void AddState(Dictionary<string, Tensor> d, string prefix)
    {
        foreach (var (name, p) in _parameters)
        {
            if (p != null)
            {
                d[Join(prefix, name)] = p;
            }
        }

        foreach (var (name, b) in _buffers)
        {
            d[Join(prefix, name)] = b;
        }

        foreach (var (name, child) in _children)
        {
            child.AddState(d, Join(prefix, name));
        }
    }

    /// <summary>
    /// Copies values from <paramref name="stateDict"/> into this module's parameters and buffers. With
    /// <paramref name="strict"/>, missing or unexpected keys fail; shape mismatches always fail. Nothing is copied
    /// when the check fails.
    /// </summary>
    /// <exception cref="CheckpointMismatchException">Keys or shapes do not match.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var own = StateDict();
        var missing = own.Keys.Where(k => !stateDict.ContainsKey(k)).ToList();
        var unexpected = stateDict.Keys.Where(k => !own.ContainsKey(k)).ToList();
        var mismatched = new List<string>();
        foreach (var (k, t) in own)
        {
            if (stateDict.TryGetValue(k, out var src) && !src.Shape.SequenceEqual(t.Shape))
            {
                mismatched.Add($"{k}: checkpoint [{string.Join(", ", src.Shape)}] vs model [{string.Join(", ", t.Shape)}]");
            }
        }

        if (mismatched.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
        {
            throw new CheckpointMismatchException(missing, unexpected, mismatched);
        }

        using (Tensor.NoGrad())
        {
            foreach (var (k, t) in own)
            {
                if (stateDict.TryGetValue(k, out var src))
                {
                    t.CopyFrom(src);
                }
            }
        }
    }

    /// <summary>Sets training mode on this module and its descendants (affects Dropout and BatchNorm). Returns this.</summary>
    public Module Train(bool mode = true)
    {
        Training = mode;
        foreach (var (_, child) in _children)
        {
            child.Train(mode);
        }

        return this;
    }

    /// <summary>Sets evaluation mode (<c>Train(false)</c>). Returns this.</summary>
    public Module Eval() => Train(false);

    /// <summary>Zeroes the gradients of all parameters (in place, keeping their buffers).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters())
        {
            p.Grad?.Fill(0f);
        }
    }

    /// <summary>Number of scalar parameters.</summary>
    public long ParameterCount() => Parameters().Sum(p => (long)p.Length);

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;
}
