using LoraPar.Core;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraPar.Adapters;

/// <summary>
/// The adapters one injection placed in a model: the wrappers by module path and the LoRA tensors keyed
/// <c>"{module path}.lora_A"</c> (r, in) and <c>"{module path}.lora_B"</c> (out, r), in module order.
/// </summary>
public sealed class LoraAdapterSet
{
    /// <summary>Suffix of the A factor's key.</summary>
    public const string ASuffix = ".lora_A";

    /// <summary>Suffix of the B factor's key.</summary>
    public const string BSuffix = ".lora_B";

    internal LoraAdapterSet(LoraConfig config, IReadOnlyList<(string Path, LoraLinear Layer)> layers, IReadOnlyDictionary<string, Tensor> initial)
    {
        Config = config;
        Layers = layers.ToDictionary(l => l.Path, l => l.Layer);
        var tensors = new Dictionary<string, Parameter>();
        foreach (var (path, layer) in layers)
        {
            tensors.Add(path + ASuffix, layer.LoraA);
            tensors.Add(path + BSuffix, layer.LoraB);
        }
        Tensors = tensors;
        InitialTensors = initial;
    }

    /// <summary>The config the adapters were made with.</summary>
    public LoraConfig Config { get; }

    /// <summary>The wrappers by module path, e.g. <c>model.layers.0.self_attn.q_proj</c>.</summary>
    public IReadOnlyDictionary<string, LoraLinear> Layers { get; }

    /// <summary>The trainable LoRA tensors by key (the live parameters, not copies).</summary>
    public IReadOnlyDictionary<string, Parameter> Tensors { get; }

    /// <summary>
    /// For PiSSA and OLoRA: copies of the factors as initialised (A0, B0), needed to export the equivalent plain-LoRA adapter
    /// against the original base. Empty for the other inits, whose base weights are untouched.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> InitialTensors { get; }

    /// <summary>PEFT's <c>target_modules</c> list for these adapters, sorted (<see cref="LoraTargets.PeftNames"/>; a regular expression is written by the config).</summary>
    public IReadOnlyList<string> TargetModules => Config.Targets.PeftNames(Layers.Keys);

    /// <summary>Total number of LoRA elements.</summary>
    public long ElementCount => Tensors.Values.Sum(t => t.numel());

    /// <summary>Switches every adapter on or off (off: the model computes the base model through the same weights).</summary>
    public void SetEnabled(bool enabled)
    {
        foreach (var layer in Layers.Values) layer.Enabled = enabled;
    }

    /// <summary>Switches every adapter on.</summary>
    public void EnableAll() => SetEnabled(true);

    /// <summary>Switches every adapter off.</summary>
    public void DisableAll() => SetEnabled(false);

    /// <summary>Switches every adapter off until the returned handle is disposed, then restores each one's previous state.</summary>
    public IDisposable Disabled()
    {
        var previous = Layers.Values.Select(l => (l, l.Enabled)).ToList();
        DisableAll();
        return new Restore(() => previous.ForEach(p => p.l.Enabled = p.Enabled));
    }

    /// <summary>Merges every adapter into its base weight.</summary>
    public void MergeAll()
    {
        foreach (var layer in Layers.Values) layer.Merge();
    }

    /// <summary>Unmerges every adapter from its base weight.</summary>
    public void UnmergeAll()
    {
        foreach (var layer in Layers.Values) layer.Unmerge();
    }

    /// <summary>Detached copies of the current LoRA tensors (e.g. the stage-1 values a GRPO reference keeps).</summary>
    public Dictionary<string, Tensor> Snapshot()
    {
        using var noGrad = no_grad();
        return Tensors.ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
    }

    /// <summary>Copies <paramref name="values"/> into the LoRA tensors; keys and shapes must match exactly.</summary>
    public void Load(IReadOnlyDictionary<string, Tensor> values, string source)
    {
        var missing = Tensors.Keys.Except(values.Keys).ToList();
        var extra = values.Keys.Except(Tensors.Keys).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new BadInputException($"{source}: LoRA tensors do not match the injected adapters " +
                $"(missing: {Preview(missing)}; unexpected: {Preview(extra)}); inject with the same targets as the adapter was trained with");
        using var noGrad = no_grad();
        foreach (var (key, target) in Tensors)
        {
            var value = values[key];
            if (!value.shape.SequenceEqual(target.shape))
                throw new BadInputException($"{source}: {key} has shape [{string.Join(", ", value.shape)}], the adapter expects [{string.Join(", ", target.shape)}]; check r");
            target.copy_(value);
        }
    }

    private static string Preview(IReadOnlyList<string> keys) =>
        keys.Count == 0 ? "none" : string.Join(", ", keys.Take(3)) + (keys.Count > 3 ? $" and {keys.Count - 3} more" : "");

    private sealed class Restore(Action action) : IDisposable
    {
        private Action? pending = action;

        public void Dispose()
        {
            pending?.Invoke();
            pending = null;
        }
    }
}
