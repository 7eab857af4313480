using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LoraPar.Core;

namespace LoraPar.Pipeline.Stages;

/// <summary>An input as recorded in stage.json.</summary>
public sealed record RecordedInput(string Name, string Path, string Hash);

/// <summary>An output file as recorded in stage.json (path relative to the artifact folder).</summary>
public sealed record RecordedOutput(string Path, long Size, string Hash);

/// <summary>
/// <c>stage.json</c>: what an artifact was computed from and what it holds. Written last, inside the temporary folder, so an
/// artifact folder without a valid stage.json is never complete. Also copied to artifacts/runs/&lt;manifest&gt;/&lt;run&gt;/&lt;kind&gt;.json
/// as the pointer <c>status</c> compares against to say why a stage is stale.
/// </summary>
public sealed record StageRecord
{
    /// <summary>Stage kind.</summary>
    public required string Kind { get; init; }

    /// <summary>Stage version.</summary>
    public required int Version { get; init; }

    /// <summary>Cache key.</summary>
    public required string Key { get; init; }

    /// <summary>lorapar version that computed it.</summary>
    public required string ToolVersion { get; init; }

    /// <summary>The manifest values the key hashed.</summary>
    public required JsonObject Settings { get; init; }

    /// <summary>Upstream keys by kind.</summary>
    public required Dictionary<string, string> Upstream { get; init; }

    /// <summary>Input files with digests.</summary>
    public required List<RecordedInput> Inputs { get; init; }

    /// <summary>Output files with digests (empty in run pointers written for a dry run).</summary>
    public List<RecordedOutput> Outputs { get; init; } = [];

    /// <summary>When execution started (UTC).</summary>
    public DateTimeOffset Started { get; init; }

    /// <summary>Execution time in seconds.</summary>
    public double Seconds { get; init; }

    /// <summary>The manifest name and run that first computed it.</summary>
    public string ComputedFor { get; init; } = "";

    /// <summary>Which kernels computed it, e.g. <c>mkl 2024.2 avx512 (vendor check bypassed); c# 512-bit</c> (empty in older records and dry-run pointers).</summary>
    public string Kernels { get; init; } = "";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Reads a record; null when the file is absent or not a valid record (a half-written or foreign file).</summary>
    public static StageRecord? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<StageRecord>(File.ReadAllText(path), Options) : null;
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Writes the record atomically.</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Options));
}
