namespace LoraPar.Method.Splitter;

/// <summary>
/// Progress of a splitter run, counted in questions put to teachers (questions × teachers in all): done includes those
/// served from the cache and those that failed or were skipped.
/// </summary>
public readonly record struct SplitProgress(int Total, int Done, int Cached, int Failed);

/// <summary>Counts finished asks and reports each change, one report at a time.</summary>
internal sealed class ProgressTracker(int total, IProgress<SplitProgress>? sink)
{
    private readonly Lock _lock = new();
    private int _done, _cached, _failed;

    public void Asked() => Step(cached: false, failed: false);

    public void Cached() => Step(cached: true, failed: false);

    public void Failed() => Step(cached: false, failed: true);

    private void Step(bool cached, bool failed)
    {
        lock (_lock)
        {
            _done++;
            if (cached) _cached++;
            if (failed) _failed++;
            sink?.Report(new SplitProgress(total, _done, _cached, _failed));
        }
    }
}
