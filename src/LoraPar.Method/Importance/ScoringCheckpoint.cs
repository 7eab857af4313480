using System.Globalization;
using LoraPar.Core;
using static TorchSharp.torch;

namespace LoraPar.Method.Importance;

/// <summary>
/// Where importance scoring keeps its partial sums (one safetensors file: the float64 moments, the example counts, and
/// how many of how many batches they hold) and how often it rewrites them. The file is replaced atomically, so a kill
/// leaves either the previous checkpoint or the new one.
/// </summary>
/// <param name="Path">The checkpoint file (the stage's partial-results folder keeps it across attempts).</param>
/// <param name="Cadence">When a checkpoint is due; one is also written after the last batch and when scoring is cancelled.</param>
public sealed record ScoringCheckpoint(string Path, CheckpointCadence Cadence)
{
    private const string BatchesKey = "batches";
    private const string TotalKey = "total_batches";

    /// <summary>
    /// The saved sums on <paramref name="device"/> and the batches they hold, or null when there is no checkpoint; one
    /// written for another number of batches (other examples or batch size) is bad input.
    /// </summary>
    public (ImportanceAccumulator Accumulator, int Batches)? Resume(int totalBatches, Device device)
    {
        if (!File.Exists(Path)) return null;
        var (accumulator, metadata) = ImportanceAccumulator.Load(Path, device);
        var batches = Read(metadata, BatchesKey);
        if (Read(metadata, TotalKey) == totalBatches && batches >= 0 && batches <= totalBatches) return (accumulator, batches);
        accumulator.Dispose();
        throw new BadInputException($"{Path}: holds {batches} of {Read(metadata, TotalKey)} batches, but this scoring has {totalBatches}; delete it to score afresh.");
    }

    /// <summary>Saves <paramref name="accumulator"/>, which holds the first <paramref name="batches"/> of <paramref name="totalBatches"/> batches.</summary>
    public void Save(ImportanceAccumulator accumulator, int batches, int totalBatches) =>
        accumulator.Save(Path, new Dictionary<string, string>
        {
            [BatchesKey] = batches.ToString(CultureInfo.InvariantCulture),
            [TotalKey] = totalBatches.ToString(CultureInfo.InvariantCulture),
        });

    private int Read(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
            : throw new BadInputException($"{Path}: no {key} in its metadata; delete it to score afresh.");
}
