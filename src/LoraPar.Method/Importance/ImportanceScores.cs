using LoraPar.Core;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace LoraPar.Method.Importance;

/// <summary>
/// Importance I(φ) of every LoRA element for both systems: one float32 CPU tensor per LoRA tensor per system, shaped like
/// the LoRA tensor. Stored in <c>importance.safetensors</c> under the keys <c>s1/{name}</c> and <c>s2/{name}</c>.
/// The instance owns its tensors (they are detached from any dispose scope) and frees them on <see cref="Dispose"/>.
/// </summary>
public sealed class ImportanceScores : IDisposable
{
    /// <summary>The file name stages use for this artifact.</summary>
    public const string FileName = "importance.safetensors";

    private readonly Dictionary<ReasoningSystem, Dictionary<string, Tensor>> scores;

    /// <summary>Copies both systems' scores (float32, CPU); the key sets and shapes must agree and parse as LoRA tensor keys.</summary>
    public ImportanceScores(IReadOnlyDictionary<string, Tensor> system1, IReadOnlyDictionary<string, Tensor> system2)
    {
        Validate(system1, system2);
        Names = LoraTensorName.CanonicalOrder(system1.Keys);
        scores = new()
        {
            [ReasoningSystem.System1] = Copy(system1),
            [ReasoningSystem.System2] = Copy(system2),
        };
        ElementCount = Names.Sum(n => scores[ReasoningSystem.System1][n].numel());
    }

    /// <summary>LoRA tensor names in canonical order (<see cref="LoraTensorName.CompareTo"/>).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Number of LoRA elements (one system).</summary>
    public long ElementCount { get; }

    /// <summary>The score tensor of <paramref name="name"/> for <paramref name="system"/>.</summary>
    public Tensor this[ReasoningSystem system, string name] => scores[system][name];

    /// <summary>All score tensors of one system, keyed by LoRA tensor name.</summary>
    public IReadOnlyDictionary<string, Tensor> For(ReasoningSystem system) => scores[system];

    /// <summary>The shape of each LoRA tensor, keyed by name.</summary>
    public IReadOnlyDictionary<string, long[]> Shapes() => Names.ToDictionary(n => n, n => scores[ReasoningSystem.System1][n].shape);

    /// <summary>Writes <c>importance.safetensors</c> atomically.</summary>
    public void Save(string path)
    {
        var dict = new Dictionary<string, Tensor>();
        foreach (var system in ReasoningSystemNames.All)
            foreach (var name in Names)
                dict[$"{system.KeyPrefix()}/{name}"] = scores[system][name];
        AtomicFile.Write(path, stream => Safetensors.SaveStateDict(stream, dict, leaveOpen: true));
    }

    /// <summary>Reads <c>importance.safetensors</c>; a missing, unreadable or inconsistent file is bad input that names it.</summary>
    public static ImportanceScores Load(string path)
    {
        if (!File.Exists(path))
            throw new BadInputException($"{path}: importance file not found; run the scores stage first.");
        Dictionary<string, Tensor> raw;
        try
        {
            using var stream = File.OpenRead(path);
            raw = Safetensors.LoadStateDict(stream, leaveOpen: true);
        }
        catch (Exception e) when (e is not LoraParException)
        {
            throw new BadInputException($"{path}: not a readable safetensors file ({e.Message}); delete it and re-run the scores stage.", e);
        }
        try
        {
            return new ImportanceScores(Split(raw, ReasoningSystem.System1, path), Split(raw, ReasoningSystem.System2, path));
        }
        catch (BadInputException e)
        {
            throw new BadInputException($"{path}: {e.Message}", e);
        }
        finally
        {
            foreach (var t in raw.Values) t.Dispose();
        }
    }

    /// <summary>Frees the score tensors.</summary>
    public void Dispose()
    {
        foreach (var system in scores.Values)
            foreach (var t in system.Values) t.Dispose();
    }

    private static Dictionary<string, Tensor> Split(Dictionary<string, Tensor> raw, ReasoningSystem system, string path)
    {
        var prefix = system.KeyPrefix() + "/";
        var stray = raw.Keys.FirstOrDefault(k => !k.StartsWith("s1/", StringComparison.Ordinal) && !k.StartsWith("s2/", StringComparison.Ordinal));
        if (stray is not null)
            throw new BadInputException($"key '{stray}' has neither the 's1/' nor the 's2/' prefix of an importance file.");
        return raw.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                  .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
    }

    /// <summary>Owned float32 CPU copies; the intermediates die with the scope, the copies are detached from it.</summary>
    private static Dictionary<string, Tensor> Copy(IReadOnlyDictionary<string, Tensor> source)
    {
        using var scope = NewDisposeScope();
        return source.ToDictionary(kv => kv.Key, kv =>
            kv.Value.detach().to(ScalarType.Float32, CPU).contiguous().clone().DetachFromDisposeScope());
    }

    private static void Validate(IReadOnlyDictionary<string, Tensor> s1, IReadOnlyDictionary<string, Tensor> s2)
    {
        if (s1.Count == 0 || s2.Count == 0)
            throw new BadInputException(
                $"importance has no LoRA tensors for {(s1.Count == 0 ? "System 1" : "System 2")}: " +
                "check that LoRA adapters are attached (target modules) before scoring.");
        foreach (var key in s1.Keys) LoraTensorName.Parse(key);
        var only1 = s1.Keys.Except(s2.Keys).ToList();
        var only2 = s2.Keys.Except(s1.Keys).ToList();
        if (only1.Count > 0 || only2.Count > 0)
            throw new BadInputException(
                $"System 1 and System 2 importance cover different LoRA tensors (only s1: {string.Join(", ", only1.Take(3))}; " +
                $"only s2: {string.Join(", ", only2.Take(3))}); score both systems on the same adapter.");
        foreach (var (key, t) in s1)
            if (!t.shape.SequenceEqual(s2[key].shape))
                throw new BadInputException(
                    $"'{key}' has shape ({string.Join(", ", t.shape)}) for System 1 but ({string.Join(", ", s2[key].shape)}) for System 2.");
    }
}
