using LoraPar.Core;
using LoraPar.Model.Checkpoints;
using static TorchSharp.torch;

namespace LoraPar.Method.Importance;

/// <summary>
/// Every scored example's gradient over all LoRA elements, kept for mask robustness (bootstrap and prefix resampling of the
/// scored examples): per system an (N, n) float32 CPU matrix whose columns follow the canonical flat order of
/// <c>Partition.LoraLayout</c> (tensors in <see cref="LoraTensorName"/> order, each row-major). Memory N·n·4 bytes per system,
/// so it is kept only when <c>importance.robustness_resamples</c> asks for it. Stored as <c>importance_examples.safetensors</c>.
/// </summary>
public sealed class ScoredExampleGradients : IDisposable
{
    /// <summary>The file name stages use for this artifact.</summary>
    public const string FileName = "importance_examples.safetensors";

    private readonly Dictionary<ReasoningSystem, List<Tensor>> rows = ReasoningSystemNames.All.ToDictionary(s => s, _ => new List<Tensor>());

    /// <summary>Adds one batch: per LoRA tensor (B, ...shape), the form <see cref="ImportanceScorer.Score"/> reports.</summary>
    public void Add(ReasoningSystem system, IReadOnlyDictionary<string, Tensor> perExample)
    {
        using var scope = NewDisposeScope();
        var parts = LoraTensorName.CanonicalOrder(perExample.Keys)
            .Select(k => perExample[k].detach().to(ScalarType.Float32, CPU).flatten(1))   // (B, count)
            .ToArray();
        rows[system].Add(cat(parts, 1).DetachFromDisposeScope());   // (B, n)
    }

    /// <summary>All examples of <paramref name="system"/> so far: (N, n) float32; the caller owns the result.</summary>
    public Tensor For(ReasoningSystem system) =>
        rows[system].Count == 0 ? throw new InvalidOperationException($"no {system.Label()} examples were recorded") : cat(rows[system], 0);

    /// <summary>Writes both systems' matrices atomically (keys <c>s1</c>, <c>s2</c>).</summary>
    public void Save(string path)
    {
        using var scope = NewDisposeScope();
        SafetensorsFile.Write(path, ReasoningSystemNames.All.Select(s => KeyValuePair.Create(s.KeyPrefix(), For(s))));
    }

    /// <summary>Reads what <see cref="Save"/> wrote: (N, n) float32 per system; the caller owns the tensors.</summary>
    public static Dictionary<ReasoningSystem, Tensor> Load(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: per-example gradients not found; re-run the scores stage with importance.robustness_resamples > 0.");
        var raw = SafetensorsFile.ReadAll(path);
        return ReasoningSystemNames.All.ToDictionary(s => s, s => raw.TryGetValue(s.KeyPrefix(), out var t) ? t
            : throw new BadInputException($"{path}: no '{s.KeyPrefix()}' matrix; re-run the scores stage."));
    }

    /// <summary>Frees the recorded batches.</summary>
    public void Dispose()
    {
        foreach (var t in rows.Values.SelectMany(r => r)) t.Dispose();
    }
}
