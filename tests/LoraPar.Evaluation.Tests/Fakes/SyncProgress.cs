namespace LoraPar.Evaluation.Tests.Fakes;

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread (unlike <see cref="Progress{T}"/>).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
