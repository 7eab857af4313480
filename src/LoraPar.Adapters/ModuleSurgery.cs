using System.Reflection;
using TorchSharp.Utils;
using Module = TorchSharp.torch.nn.Module;

namespace LoraPar.Adapters;

/// <summary>
/// Finds and replaces submodules by dotted path, like PEFT's <c>setattr(parent, name, new_module)</c>: the parent's C# field
/// of that name (or <see cref="ComponentNameAttribute"/> name) is set by reflection and the child is re-registered, so both
/// the parent's forward (which reads the field) and <c>named_modules</c>/<c>state_dict</c> (which read the registry) see the new module.
/// </summary>
public static class ModuleSurgery
{
    /// <summary>The submodule at <paramref name="path"/> (e.g. <c>model.layers.0.self_attn.q_proj</c>); the empty path is the root.</summary>
    public static Module Get(Module root, string path)
    {
        var current = root;
        if (path.Length == 0) return current;
        var walked = "";
        foreach (var segment in path.Split('.'))
        {
            var child = current.named_children().FirstOrDefault(c => c.name == segment).module;
            current = child ?? throw new ArgumentException(
                $"module path '{path}': '{(walked.Length == 0 ? "<root>" : walked)}' has no submodule named '{segment}'", nameof(path));
            walked = walked.Length == 0 ? segment : walked + "." + segment;
        }
        return current;
    }

    /// <summary>Replaces the submodule at <paramref name="path"/> by <paramref name="replacement"/> and returns the old one (not disposed).</summary>
    public static Module Replace(Module root, string path, Module replacement)
    {
        var split = path.LastIndexOf('.');
        var parentPath = split < 0 ? "" : path[..split];
        var name = path[(split + 1)..];
        var parent = Get(root, parentPath);
        var old = Get(parent, name);
        var field = FindField(parent.GetType(), name, replacement.GetType()) ?? throw new InvalidOperationException(
            $"cannot replace '{path}': {parent.GetType().Name} has no field named '{name}' that can hold a {replacement.GetType().Name}. " +
            "Declare the field with that name and type Module<Tensor, Tensor> (the naming contract between the model and the LoRA injector).");
        field.SetValue(parent, replacement);
        parent.register_module(name, null!);
        parent.register_module(name, replacement);
        return old;
    }

    private static FieldInfo? FindField(Type type, string name, Type valueType)
    {
        for (var t = type; t is not null && t != typeof(Module); t = t.BaseType)
        {
            const BindingFlags flags = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            var field = t.GetFields(flags).FirstOrDefault(f => ComponentName(f) == name && f.FieldType.IsAssignableFrom(valueType));
            if (field is not null) return field;
        }
        return null;
    }

    private static string ComponentName(FieldInfo field)
    {
        if (field.GetCustomAttribute<ComponentNameAttribute>()?.Name is { } named) return named;
        const string backing = ">k__BackingField";                                  // an auto-property's field: <name>k__BackingField
        return field.Name.StartsWith('<') && field.Name.EndsWith(backing, StringComparison.Ordinal) ? field.Name[1..^backing.Length] : field.Name;
    }
}
