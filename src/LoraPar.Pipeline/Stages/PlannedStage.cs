using System.Text.Json.Nodes;
using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Sweeps;

namespace LoraPar.Pipeline.Stages;

/// <summary>An input file of a planned stage with its digest (null when the file is missing: a dry run on another machine).</summary>
public sealed record PlannedInput(string Name, string Path, string? Hash);

/// <summary>
/// One node of a plan: a stage with its key. Runs of a sweep that agree on everything this stage reads share one node, and so
/// one execution and one artifact.
/// </summary>
public sealed class PlannedStage
{
    private readonly List<RunVariant> _variants = [];

    internal PlannedStage(IStage stage, RunVariant firstVariant, StageDeclaration declaration, JsonObject settings,
        IReadOnlyList<PlannedStage> upstream, IReadOnlyList<PlannedInput> inputs, string key)
    {
        Stage = stage;
        Declaration = declaration;
        Settings = settings;
        Upstream = upstream;
        Inputs = inputs;
        Key = key;
        _variants.Add(firstVariant);
    }

    /// <summary>The stage implementation.</summary>
    public IStage Stage { get; }

    /// <summary>The stage kind.</summary>
    public string Kind => Stage.Kind;

    /// <summary>What the stage declared for this manifest.</summary>
    public StageDeclaration Declaration { get; }

    /// <summary>The canonical manifest subtree the key hashes.</summary>
    public JsonObject Settings { get; }

    /// <summary>Upstream nodes, in declaration order.</summary>
    public IReadOnlyList<PlannedStage> Upstream { get; }

    /// <summary>Input files with digests.</summary>
    public IReadOnlyList<PlannedInput> Inputs { get; }

    /// <summary>The cache key.</summary>
    public string Key { get; }

    /// <summary>Whether every input file exists (a node with a missing input can be shown but not run).</summary>
    public bool Runnable => Inputs.All(i => i.Hash is not null) && Upstream.All(u => u.Runnable);

    /// <summary>The runs using this node.</summary>
    public IReadOnlyList<RunVariant> Variants => _variants;

    /// <summary>The manifest the stage executes with (any variant's: they agree on everything the stage reads).</summary>
    public PipelineManifest Manifest => _variants[0].Manifest;

    /// <summary>Upstream keys by kind.</summary>
    public IReadOnlyDictionary<string, string> UpstreamKeys => Upstream.ToDictionary(u => u.Kind, u => u.Key);

    internal void AddVariant(RunVariant variant)
    {
        if (!_variants.Contains(variant)) _variants.Add(variant);
    }
}
