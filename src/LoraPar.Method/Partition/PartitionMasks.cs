using LoraPar.Core;
using LoraPar.Method.Importance;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace LoraPar.Method.Partition;

/// <summary>
/// The stage masks training applies: one bool tensor per LoRA tensor per stage, shaped like the LoRA tensor (true =
/// trainable in that stage). Stored in <c>masks.safetensors</c> (safetensors dtype BOOL) under <c>stage1/{name}</c> and
/// <c>stage2/{name}</c>. Owns its CPU tensors; move them to the training device as needed.
/// </summary>
public sealed class PartitionMasks : IDisposable
{
    /// <summary>The file name stages use for this artifact.</summary>
    public const string FileName = "masks.safetensors";

    private readonly Dictionary<TrainingStage, Dictionary<string, Tensor>> masks;

    /// <summary>Copies both stages' masks (as bool, CPU); key sets and shapes must agree.</summary>
    public PartitionMasks(IReadOnlyDictionary<string, Tensor> stage1, IReadOnlyDictionary<string, Tensor> stage2)
    {
        if (stage1.Count == 0 || !stage1.Keys.Order().SequenceEqual(stage2.Keys.Order())
            || stage1.Any(kv => !kv.Value.shape.SequenceEqual(stage2[kv.Key].shape)))
            throw new BadInputException("stage masks must cover the same non-empty set of LoRA tensors with the same shapes in both stages.");
        Names = LoraTensorName.CanonicalOrder(stage1.Keys);
        masks = new()
        {
            [TrainingStage.Stage1] = Copy(stage1),
            [TrainingStage.Stage2] = Copy(stage2),
        };
    }

    /// <summary>LoRA tensor names in canonical order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The masks of <paramref name="stage"/>, keyed by LoRA tensor name.</summary>
    public IReadOnlyDictionary<string, Tensor> For(TrainingStage stage) => masks[stage];

    /// <summary>How many elements are trainable in <paramref name="stage"/>.</summary>
    public long ActiveCount(TrainingStage stage)
    {
        using var scope = NewDisposeScope();
        return masks[stage].Values.Sum(m => m.count_nonzero().item<long>());
    }

    /// <summary>Plain LoRA without scores: every element of the given tensors active in both stages.</summary>
    public static PartitionMasks Full(IReadOnlyDictionary<string, long[]> shapes)
    {
        using var scope = NewDisposeScope();
        var all = shapes.ToDictionary(kv => kv.Key, kv => ones(kv.Value, ScalarType.Bool));
        return new PartitionMasks(all, all);
    }

    /// <summary>Writes <c>masks.safetensors</c> atomically.</summary>
    public void Save(string path)
    {
        var dict = new Dictionary<string, Tensor>();
        foreach (var stage in TrainingStageNames.All)
            foreach (var name in Names)
                dict[$"{stage.KeyPrefix()}/{name}"] = masks[stage][name];
        AtomicFile.Write(path, stream => Safetensors.SaveStateDict(stream, dict, leaveOpen: true));
    }

    /// <summary>Reads <c>masks.safetensors</c>; a missing or malformed file is bad input that names it.</summary>
    public static PartitionMasks Load(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: mask file not found; run the masks stage first.");
        Dictionary<string, Tensor> raw;
        try
        {
            using var stream = File.OpenRead(path);
            raw = Safetensors.LoadStateDict(stream, leaveOpen: true);
        }
        catch (Exception e) when (e is not LoraParException)
        {
            throw new BadInputException($"{path}: not a readable safetensors file ({e.Message}); delete it and re-run the masks stage.", e);
        }
        try
        {
            return new PartitionMasks(Split(raw, TrainingStage.Stage1, path), Split(raw, TrainingStage.Stage2, path));
        }
        finally
        {
            foreach (var t in raw.Values) t.Dispose();
        }
    }

    /// <summary>Frees the masks.</summary>
    public void Dispose()
    {
        foreach (var stage in masks.Values)
            foreach (var t in stage.Values) t.Dispose();
    }

    private static Dictionary<string, Tensor> Split(Dictionary<string, Tensor> raw, TrainingStage stage, string path)
    {
        var stray = raw.Keys.FirstOrDefault(k => !k.StartsWith("stage1/", StringComparison.Ordinal) && !k.StartsWith("stage2/", StringComparison.Ordinal));
        if (stray is not null)
            throw new BadInputException($"{path}: key '{stray}' has neither the 'stage1/' nor the 'stage2/' prefix of a mask file.");
        var prefix = stage.KeyPrefix() + "/";
        return raw.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                  .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
    }

    /// <summary>Owned bool CPU copies; the intermediates die with the scope, the copies are detached from it.</summary>
    private static Dictionary<string, Tensor> Copy(IReadOnlyDictionary<string, Tensor> source)
    {
        using var scope = NewDisposeScope();
        return source.ToDictionary(kv => kv.Key, kv =>
            kv.Value.detach().to(ScalarType.Bool, CPU).contiguous().clone().DetachFromDisposeScope());
    }
}
