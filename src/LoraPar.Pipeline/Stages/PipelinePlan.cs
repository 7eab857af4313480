using LoraPar.Core;
using LoraPar.Pipeline.Hashing;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Sweeps;

namespace LoraPar.Pipeline.Stages;

/// <summary>A stage a run needs but cannot plan: its upstream is not registered in this build, or the declarations form a cycle.</summary>
public sealed record BlockedStage(string Variant, string Kind, string Reason);

/// <summary>
/// The DAG of a manifest: every run of its sweep, every registered stage that declares itself part of that run, keyed and
/// de-duplicated across runs, in an order where each node comes after its upstream nodes.
/// </summary>
public sealed class PipelinePlan
{
    private readonly Dictionary<(string Variant, string Kind), PlannedStage> _byVariant;

    private PipelinePlan(PipelineManifest manifest, IReadOnlyList<RunVariant> variants, IReadOnlyList<PlannedStage> nodes,
        Dictionary<(string, string), PlannedStage> byVariant, IReadOnlyList<BlockedStage> blocked)
    {
        Manifest = manifest;
        Variants = variants;
        Nodes = nodes;
        _byVariant = byVariant;
        Blocked = blocked;
    }

    /// <summary>The manifest as loaded (with its sweep).</summary>
    public PipelineManifest Manifest { get; }

    /// <summary>The runs (one without a sweep).</summary>
    public IReadOnlyList<RunVariant> Variants { get; }

    /// <summary>Unique nodes in execution order.</summary>
    public IReadOnlyList<PlannedStage> Nodes { get; }

    /// <summary>Stages that could not be planned, with why.</summary>
    public IReadOnlyList<BlockedStage> Blocked { get; }

    /// <summary>The node of <paramref name="kind"/> in run <paramref name="variant"/>, or null.</summary>
    public PlannedStage? Find(string variant, string kind) => _byVariant.GetValueOrDefault((variant, kind));

    /// <summary>The nodes of one run in execution order.</summary>
    public IReadOnlyList<PlannedStage> NodesOf(string variant) => Nodes.Where(n => _byVariant.GetValueOrDefault((variant, n.Kind)) == n).ToList();

    /// <summary>Plans <paramref name="manifest"/> with the stages of <paramref name="registry"/>, hashing inputs through <paramref name="hashes"/>.</summary>
    public static PipelinePlan Build(PipelineManifest manifest, StageRegistry registry, FileHashCache hashes)
    {
        var variants = SweepExpansion.Expand(manifest);
        var nodes = new List<PlannedStage>();
        var byKey = new Dictionary<(string, string), PlannedStage>();
        var byVariant = new Dictionary<(string, string), PlannedStage>();
        var blocked = new List<BlockedStage>();
        foreach (var variant in variants)
        {
            var declared = registry.Stages
                .Select(stage => (Stage: stage, Declaration: stage.Declare(variant.Manifest)))
                .Where(d => d.Declaration is not null)
                .ToList();
            var planned = new Dictionary<string, PlannedStage>();
            while (declared.FirstOrDefault(d => d.Declaration!.Upstream.All(planned.ContainsKey)) is { Stage: not null } ready)
            {
                declared.Remove(ready);
                var node = MakeNode(ready.Stage, ready.Declaration!, variant, planned, hashes);
                if (byKey.TryGetValue((node.Kind, node.Key), out var shared)) node = shared;
                else
                {
                    byKey[(node.Kind, node.Key)] = node;
                    nodes.Add(node);
                }
                node.AddVariant(variant);
                planned[node.Kind] = node;
                byVariant[(variant.Name, node.Kind)] = node;
            }
            blocked.AddRange(declared.Select(d => new BlockedStage(variant.Name, d.Stage.Kind, BlockReason(d.Declaration!, registry, planned))));
        }
        return new PipelinePlan(manifest, variants, nodes, byVariant, blocked);
    }

    private static PlannedStage MakeNode(IStage stage, StageDeclaration declaration, RunVariant variant,
        IReadOnlyDictionary<string, PlannedStage> planned, FileHashCache hashes)
    {
        var settings = SelectSettings(stage, declaration, variant);
        var upstream = declaration.Upstream.Select(kind => planned[kind]).ToList();
        var inputs = declaration.Inputs.Select(i => new PlannedInput(i.Name, i.Path, TryHash(hashes, i.Path))).ToList();
        if (inputs.Select(i => i.Name).Distinct().Count() != inputs.Count)
            throw new InvalidOperationException($"stage '{stage.Kind}' declares two inputs with the same name");
        var inputHashes = inputs.ToDictionary(i => i.Name, i => i.Hash ?? "missing:" + i.Path);
        var key = StageKey.Compute(stage.Kind, stage.Version, settings, upstream.ToDictionary(u => u.Kind, u => u.Key), inputHashes);
        return new PlannedStage(stage, variant, declaration, settings, upstream, inputs, key);
    }

    private static System.Text.Json.Nodes.JsonObject SelectSettings(IStage stage, StageDeclaration declaration, RunVariant variant)
    {
        try
        {
            return ManifestJson.Select(declaration.From ?? variant.Manifest, declaration.Reads);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"stage '{stage.Kind}' declares a manifest value that does not exist: {e.Message}", e);
        }
    }

    private static string? TryHash(FileHashCache hashes, string path)
    {
        try
        {
            return File.Exists(path) || Directory.Exists(path) ? hashes.HashPath(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot read input {path}: {e.Message}", e);
        }
    }

    private static string BlockReason(StageDeclaration declaration, StageRegistry registry, IReadOnlyDictionary<string, PlannedStage> planned)
    {
        var missing = declaration.Upstream.Where(u => !planned.ContainsKey(u)).ToList();
        var unregistered = missing.Where(u => registry.Find(u) is null).ToList();
        if (unregistered.Count > 0) return $"needs {string.Join(", ", unregistered.Select(u => $"'{u}'"))}, not available in this build";
        return $"waits on {string.Join(", ", missing.Select(u => $"'{u}'"))}, which is blocked or not part of this manifest (or a cycle)";
    }
}
