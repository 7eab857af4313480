using LoraPar.Adapters.Export;
using LoraPar.Core;
using LoraPar.Pipeline.Stages;
using LoraPar.Pipeline.Sweeps;

namespace LoraPar.Pipeline.Export;

/// <summary>A <c>lorapar export</c> request.</summary>
/// <param name="Manifest">The manifest whose trained runs are exported.</param>
/// <param name="Run">The run of a sweep (its name, e.g. <c>selection=random</c>); null: every run (each in its own sub-folder when there are several).</param>
/// <param name="To">The destination folder.</param>
/// <param name="Options">Format and regions.</param>
public sealed record ExportRequest(string Manifest, string? Run, string To, ExportOptions Options);

/// <summary><c>lorapar export</c>: finds each requested run's trained artifacts, exports them, records where, and prints the folders.</summary>
public sealed class ExportService(PipelineService pipeline, TextWriter output, string workingDirectory)
{
    /// <summary>Exports; returns what was written per run.</summary>
    public IReadOnlyList<ExportedRun> Export(ExportRequest request)
    {
        var manifest = pipeline.Load(request.Manifest).Manifest;
        var store = new ArtifactStore(manifest.Artifacts);
        var plan = pipeline.Plan(manifest, store);
        var variants = Select(plan, request.Run);
        var root = Path.GetFullPath(request.To, workingDirectory);
        var exported = new List<ExportedRun>();
        foreach (var variant in variants)
        {
            var run = TrainedRun.Find(plan, store, variant, request.Manifest);
            var folder = variants.Count > 1 ? Path.Combine(root, variant.Name) : root;
            var result = RunExporter.Export(run, request.Options, folder);
            ExportRecord.Write(new RunPointers(store.RunsDirectory).DirectoryOf(manifest.Name, variant.Name), result);
            Print(result, variants.Count > 1);
            exported.Add(result);
        }
        store.Hashes.Save();
        return exported;
    }

    private static IReadOnlyList<RunVariant> Select(PipelinePlan plan, string? run)
    {
        if (run is null) return plan.Variants;
        return plan.Variants.Where(v => v.Name == run).ToList() is [var one] ? [one]
            : throw new BadInputException($"--run {run}: {plan.Manifest.Name} has no run of that name; its runs: {string.Join(", ", plan.Variants.Select(v => v.Name))}");
    }

    private void Print(ExportedRun result, bool named)
    {
        var prefix = named ? $"{result.Run}: " : "";
        if (result.Adapter is { } adapter) output.WriteLine($"{prefix}adapter (PEFT)   {adapter}");
        foreach (var (region, folder) in result.Regions) output.WriteLine($"{prefix}region {region.ShortName(),-7}   {folder}");
        if (result.Merged is { } merged) output.WriteLine($"{prefix}merged model     {merged}");
        if (result.BaseModel is { } copy) output.WriteLine($"{prefix}base model       {copy}");
    }
}
