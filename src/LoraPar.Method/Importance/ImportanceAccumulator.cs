using LoraPar.Core;
using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Importance;

/// <summary>
/// Accumulates, per system and per LoRA tensor, the sums Σₖ gₖ and Σₖ gₖ² of per-example gradients over any number of
/// batches (float64, on the given device), and turns them into <see cref="ImportanceScores"/> with
/// <see cref="SecondOrderImportance.FromMoments"/>. Memory: two float64 copies of the LoRA parameters per system.
/// </summary>
public sealed class ImportanceAccumulator(Device device) : IDisposable
{
    private readonly Dictionary<ReasoningSystem, Dictionary<string, (Tensor Sum, Tensor SquareSum)>> moments = new()
    {
        [ReasoningSystem.System1] = new(),
        [ReasoningSystem.System2] = new(),
    };

    private readonly Dictionary<ReasoningSystem, long> counts = new() { [ReasoningSystem.System1] = 0, [ReasoningSystem.System2] = 0 };

    /// <summary>How many examples of <paramref name="system"/> have been added.</summary>
    public long ExampleCount(ReasoningSystem system) => counts[system];

    /// <summary>
    /// Adds one batch of per-example gradients of <paramref name="system"/>: every tensor is (batch, ...shape of its LoRA
    /// tensor) with the same batch size, and every batch of a system names the same LoRA tensors.
    /// </summary>
    public void Add(ReasoningSystem system, IReadOnlyDictionary<string, Tensor> perExampleGradients)
    {
        var batch = BatchSize(perExampleGradients);
        var sums = moments[system];
        if (sums.Count > 0 && (sums.Count != perExampleGradients.Count || perExampleGradients.Keys.Any(k => !sums.ContainsKey(k))))
            throw new ArgumentException(
                $"this batch names different LoRA tensors than earlier {system.Label()} batches", nameof(perExampleGradients));
        foreach (var (name, gradients) in perExampleGradients)
        {
            using var scope = NewDisposeScope();
            var g = gradients.detach().to(ScalarType.Float64, device);   // (batch, ...shape)
            if (!sums.TryGetValue(name, out var sum))
            {
                var shape = g.shape[1..];
                sum = (zeros(shape, ScalarType.Float64, device).DetachFromDisposeScope(),
                       zeros(shape, ScalarType.Float64, device).DetachFromDisposeScope());
                sums[name] = sum;
            }
            sum.Sum.PlusInPlace(g.sum(dim: 0));                   // Σₖ gₖ, shape of φ
            sum.SquareSum.PlusInPlace(g.Squared().sum(dim: 0));  // Σₖ gₖ², shape of φ
        }
        counts[system] += batch;
    }

    /// <summary>
    /// The importance of every LoRA element for both systems, from the accumulated moments and the parameter values φ
    /// (keyed by LoRA tensor name). A system without examples is bad input (an empty split).
    /// </summary>
    public ImportanceScores ToScores(IReadOnlyDictionary<string, Tensor> parameters)
    {
        foreach (var system in ReasoningSystemNames.All)
            if (counts[system] == 0)
                throw new BadInputException(
                    $"{system.Label()} has no examples to score: its split is empty. Check the splitter's labels " +
                    $"(every question was voted {(system == ReasoningSystem.System1 ? "System 2" : "System 1")}?) or raise the number of scored examples.");
        var result = new Dictionary<ReasoningSystem, Dictionary<string, Tensor>>();
        using var scope = NewDisposeScope();
        foreach (var system in ReasoningSystemNames.All)
        {
            result[system] = new();
            foreach (var (name, (sum, squareSum)) in moments[system])
            {
                if (!parameters.TryGetValue(name, out var phi))
                    throw new ArgumentException($"no parameter value for LoRA tensor '{name}'", nameof(parameters));
                result[system][name] = SecondOrderImportance.FromMoments(sum, squareSum, counts[system], phi.to(device));
            }
        }
        return new ImportanceScores(result[ReasoningSystem.System1], result[ReasoningSystem.System2]);
    }

    /// <summary>Owned copies of the sums and counts with the parameter values φ they were taken at, for every estimator.</summary>
    public ImportanceMoments Moments(IReadOnlyDictionary<string, Tensor> parameters) => new(
        moments.ToDictionary(m => m.Key, m => (IReadOnlyDictionary<string, (Tensor Sum, Tensor SquareSum)>)m.Value),
        counts, parameters);

    /// <summary>
    /// Writes the moments (float64, exact) and the example counts to <paramref name="path"/> atomically as safetensors,
    /// with <paramref name="metadata"/> (what the caller needs to resume, e.g. the batches they hold).
    /// </summary>
    public void Save(string path, IReadOnlyDictionary<string, string> metadata)
    {
        var meta = new Dictionary<string, string>(metadata);
        foreach (var system in ReasoningSystemNames.All) meta[CountKey(system)] = counts[system].ToString(System.Globalization.CultureInfo.InvariantCulture);
        var tensors = moments.SelectMany(m => m.Value.SelectMany(kv => new[]
        {
            KeyValuePair.Create($"{m.Key}/sum/{kv.Key}", kv.Value.Sum),
            KeyValuePair.Create($"{m.Key}/square_sum/{kv.Key}", kv.Value.SquareSum),
        })).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        Model.Checkpoints.SafetensorsFile.Write(path, tensors, meta);
    }

    /// <summary>Reads an accumulator <see cref="Save"/> wrote, onto <paramref name="device"/>; returns it with the saved metadata.</summary>
    public static (ImportanceAccumulator Accumulator, IReadOnlyDictionary<string, string> Metadata) Load(string path, Device device)
    {
        var header = Model.Checkpoints.SafetensorsHeader.Read(path);
        var accumulator = new ImportanceAccumulator(device);
        var saved = Model.Checkpoints.SafetensorsFile.ReadAll(path);
        try
        {
            foreach (var system in ReasoningSystemNames.All)
                accumulator.counts[system] = header.Metadata.TryGetValue(CountKey(system), out var count) && long.TryParse(count, out var n) ? n
                    : throw new BadInputException($"{path}: no {CountKey(system)} in its metadata; delete it to score afresh");
            foreach (var key in saved.Keys.Where(k => k.Split('/', 3)[1] == "sum"))
            {
                var parts = key.Split('/', 3);
                var square = $"{parts[0]}/square_sum/{parts[2]}";
                if (!saved.ContainsKey(square)) throw new BadInputException($"{path}: no {square} beside {key}; delete it to score afresh");
                accumulator.moments[Enum.Parse<ReasoningSystem>(parts[0])][parts[2]] = (OnDevice(saved[key], device), OnDevice(saved[square], device));
            }
            return (accumulator, header.Metadata);
        }
        catch
        {
            accumulator.Dispose();
            throw;
        }
        finally
        {
            foreach (var t in saved.Values) t.Dispose();
        }
    }

    /// <summary>A copy of CPU tensor <paramref name="value"/> on <paramref name="device"/>, outside any dispose scope.</summary>
    private static Tensor OnDevice(Tensor value, Device device)
    {
        using var scope = NewDisposeScope();
        return value.to(device).clone().MoveToOuterDisposeScope();
    }

    private static string CountKey(ReasoningSystem system) => $"{system}_examples";

    /// <summary>Frees the accumulated sums.</summary>
    public void Dispose()
    {
        foreach (var system in moments.Values)
            foreach (var (sum, squareSum) in system.Values)
            {
                sum.Dispose();
                squareSum.Dispose();
            }
    }

    private static long BatchSize(IReadOnlyDictionary<string, Tensor> perExampleGradients)
    {
        if (perExampleGradients.Count == 0)
            throw new ArgumentException("a batch must carry gradients of at least one LoRA tensor", nameof(perExampleGradients));
        var sizes = perExampleGradients.Values.Select(t => t.dim() == 0 ? 0 : t.shape[0]).Distinct().ToList();
        if (sizes.Count != 1 || sizes[0] < 1)
            throw new ArgumentException(
                $"per-example gradients must share one batch size on dim 0 (found {string.Join(", ", sizes)})", nameof(perExampleGradients));
        return sizes[0];
    }
}
