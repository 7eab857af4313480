using LoraPar.Adapters.Inits;
using LoraPar.Core;
using LoraPar.Model.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LoraPar.Adapters;

/// <summary>
/// Puts LoRA adapters into a model without the model knowing (PEFT's <c>get_peft_model</c> for Linear layers): every Linear
/// whose short name the config targets is replaced by a <see cref="LoraLinear"/> through <see cref="ModuleSurgery"/>, and
/// every other parameter of the model is frozen.
/// </summary>
public static class LoraInjector
{
    /// <summary>
    /// Injects adapters into <paramref name="root"/>. Factors are initialised per <see cref="LoraConfig.Init"/> from a CPU
    /// generator seeded with <paramref name="seed"/>, module by module in module order. With <paramref name="initialFactors"/>
    /// (keys <c>{path}.lora_A/B</c>, e.g. a saved PiSSA/OLoRA initial adapter), those factors are used instead of a fresh
    /// decomposition, and the base weights of PiSSA/OLoRA become W − scale·B0·A0 exactly as when they were first made.
    /// </summary>
    public static LoraAdapterSet Inject(Module root, LoraConfig config, long seed, IReadOnlyDictionary<string, Tensor>? initialFactors = null)
    {
        config.Validated();
        var targets = FindTargets(root, config.Targets);
        Preflight(targets, config, initialFactors);
        foreach (var p in root.parameters()) p.requires_grad = false;
        using var generator = new Generator((ulong)seed, CPU);
        var layers = new List<(string, LoraLinear)>();
        var initial = new Dictionary<string, Tensor>();
        var keepsInitial = config.Init is LoraInit.Pissa or LoraInit.Olora;
        foreach (var (path, linear) in targets)
        {
            var factors = initialFactors is null
                ? LoraInitializer.Create(linear.weight, config, generator, path)
                : FromGiven(linear.weight, config, initialFactors, path);
            using (no_grad())
            {
                if (factors.Residual is not null) linear.weight.copy_(factors.Residual);
            }
            var wrapper = new LoraLinear(linear, factors.A, factors.B, config.Scaling, config.Dropout);
            wrapper.train(linear.training);
            ModuleSurgery.Replace(root, path, wrapper);
            if (keepsInitial)
            {
                initial.Add(path + LoraAdapterSet.ASuffix, factors.A.clone().DetachFromDisposeScope());
                initial.Add(path + LoraAdapterSet.BSuffix, factors.B.clone().DetachFromDisposeScope());
            }
            factors.A.Dispose();
            factors.B.Dispose();
            factors.Residual?.Dispose();
            layers.Add((path, wrapper));
        }
        return new LoraAdapterSet(config, layers, initial);
    }

    /// <summary>The Linear modules <paramref name="targets"/> selects, by path in module order; errors name what was found instead.</summary>
    public static IReadOnlyList<(string Path, Linear Layer)> FindTargets(Module root, LoraTargets targets)
    {
        var found = new List<(string, Linear)>();
        foreach (var (path, module) in root.named_modules())
        {
            if (!targets.Matches(path, module)) continue;
            found.Add(module switch
            {
                Linear linear => (path, linear),
                LoraLinear => throw new InvalidOperationException($"{path} already has a LoRA adapter; inject once per model"),
                _ => throw new BadInputException($"LoRA target {path} is a {module.GetType().Name}, not a Linear; choose Linear modules as targets"),
            });
        }
        if (found.Count == 0)
        {
            var names = root.named_modules().Where(m => m.module is Linear)
                .Select(m => m.name[(m.name.LastIndexOf('.') + 1)..]).Distinct().Take(12);
            throw new BadInputException($"LoRA targets '{targets.Name}' match no module of this model; its Linear modules are named: {string.Join(", ", names)}");
        }
        return found;
    }

    /// <summary>Everything that could fail half-way through, checked before the model is touched.</summary>
    private static void Preflight(IReadOnlyList<(string Path, Linear Layer)> targets, LoraConfig config, IReadOnlyDictionary<string, Tensor>? given)
    {
        foreach (var (path, linear) in targets)
        {
            var maxRank = Math.Min(linear.in_features, linear.out_features);
            if (config.Init is LoraInit.Pissa or LoraInit.Olora && config.R > maxRank)
                throw new BadInputException($"{path}: r = {config.R} exceeds min(out, in) = {maxRank}, which {config.Init.Name()} needs; lower r");
            if (given is not null && !(given.ContainsKey(path + LoraAdapterSet.ASuffix) && given.ContainsKey(path + LoraAdapterSet.BSuffix)))
                throw new BadInputException($"initial LoRA factors lack {path}{LoraAdapterSet.ASuffix} or {LoraAdapterSet.BSuffix}; they must come from an injection with the same targets");
        }
    }

    private static LoraFactors FromGiven(Tensor weight, LoraConfig config, IReadOnlyDictionary<string, Tensor> given, string path)
    {
        var (a, b) = (given[path + LoraAdapterSet.ASuffix], given[path + LoraAdapterSet.BSuffix]);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var dtype = LoraInitializer.AdapterDType(weight.dtype);
        var a0 = a.to(dtype, weight.device);                                   // (r, in)
        var b0 = b.to(dtype, weight.device);                                   // (out, r)
        Tensor? residual = null;
        if (config.Init is LoraInit.Pissa or LoraInit.Olora)
        {
            var delta = b0.to_type(ScalarType.Float32).matmul(a0.to_type(ScalarType.Float32)).Times(config.Scaling); // (out, r) @ (r, in)
            residual = weight.to_type(ScalarType.Float32).sub(delta).to_type(weight.dtype).MoveToOuterDisposeScope();
        }
        return new LoraFactors(a0.clone().MoveToOuterDisposeScope(), b0.clone().MoveToOuterDisposeScope(), residual);
    }
}
