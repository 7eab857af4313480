using LoraPar.Pipeline.Manifest;
using LoraPar.Pipeline.Progress;

namespace LoraPar.Pipeline.Stages;

/// <summary>Everything <see cref="IStage.Execute"/> may use: settings, upstream outputs, inputs, where to write, progress, log, cancellation.</summary>
public sealed class StageContext
{
    private readonly IReadOnlyDictionary<string, string> _upstream;
    private readonly IReadOnlyDictionary<string, string> _inputs;
    private readonly Func<string> _openPartial;

    internal StageContext(PipelineManifest manifest, string key, string outputDirectory, IReadOnlyDictionary<string, string> upstream,
        IReadOnlyDictionary<string, string> inputs, IProgressReporter progress, Action<string> log, CancellationToken cancellation,
        Func<string> openPartial)
    {
        _openPartial = openPartial;
        Manifest = manifest;
        Key = key;
        OutputDirectory = outputDirectory;
        _upstream = upstream;
        _inputs = inputs;
        Progress = progress;
        Log = log;
        Cancellation = cancellation;
    }

    /// <summary>The manifest of the run (for a sweep, the expanded variant).</summary>
    public PipelineManifest Manifest { get; }

    /// <summary>This stage's key.</summary>
    public string Key { get; }

    /// <summary>The (temporary) folder to write outputs into; it becomes <c>artifacts/&lt;kind&gt;/&lt;key&gt;/</c> on success.</summary>
    public string OutputDirectory { get; }

    /// <summary>Progress bars for long loops.</summary>
    public IProgressReporter Progress { get; }

    /// <summary>Writes one line to the run log (and the console when verbose).</summary>
    public Action<string> Log { get; }

    /// <summary>The artifact folders of every upstream stage.</summary>
    public IEnumerable<string> UpstreamDirectories() => _upstream.Values;

    /// <summary>Set by Ctrl-C: stop after the current step by throwing <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>The completed output folder of the declared upstream stage <paramref name="kind"/>.</summary>
    public string UpstreamDirectory(string kind) =>
        _upstream.TryGetValue(kind, out var dir) ? dir : throw new InvalidOperationException($"stage did not declare upstream '{kind}'");

    /// <summary>The path of the declared input file <paramref name="name"/>.</summary>
    public string InputPath(string name) =>
        _inputs.TryGetValue(name, out var path) ? path : throw new InvalidOperationException($"stage did not declare input '{name}'");

    /// <summary>
    /// A path inside this key's partial-results folder (folders created), which — unlike the output folder — survives a failed
    /// or cancelled attempt and is removed once the artifact is committed. A stage appends per-item results there (flushed)
    /// so that the next attempt of the same key skips the items already done; the final outputs still go to the output folder.
    /// </summary>
    public string PartialPath(string relative)
    {
        var path = Path.Combine(_openPartial(), relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>
    /// The folder where a long stage keeps its checkpoints: <c>checkpoints/</c> in the key's partial-results folder, so they
    /// survive a kill or Ctrl-C and go only after the artifact is committed (see <see cref="PartialPath"/>).
    /// </summary>
    public string CheckpointDirectory() => PartialPath("checkpoints");

    /// <summary>A path inside the output folder (folders created).</summary>
    public string OutputPath(string relative)
    {
        var path = Path.Combine(OutputDirectory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
