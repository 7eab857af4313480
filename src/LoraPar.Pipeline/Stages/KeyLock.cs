using System.Diagnostics;

namespace LoraPar.Pipeline.Stages;

/// <summary>
/// An exclusive claim on one key across processes: a lock file opened with <see cref="FileShare.None"/> (an advisory
/// <c>flock</c> on Unix, released by the OS when the holder dies, so a killed run never leaves a key locked). Lock files are
/// never deleted while runs may be active, so two processes can never hold locks on two different files for one key.
/// </summary>
public sealed class KeyLock : IDisposable
{
    private readonly FileStream _stream;

    private KeyLock(FileStream stream) => _stream = stream;

    /// <summary>The lock, or null when another process (or another claim in this one) holds it.</summary>
    public static KeyLock? TryAcquire(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.UTF8.GetBytes($"{Environment.ProcessId}\n"));
            stream.Flush();
            return new KeyLock(stream);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Waits for the lock, telling <paramref name="waiting"/> once, until it is free or <paramref name="cancel"/> fires.</summary>
    public static KeyLock Acquire(string path, CancellationToken cancel, Action<string>? waiting = null)
    {
        var clock = Stopwatch.StartNew();
        var told = false;
        while (true)
        {
            if (TryAcquire(path) is { } claimed) return claimed;
            if (!told && clock.Elapsed > TimeSpan.FromSeconds(1))
            {
                waiting?.Invoke($"waiting for another lorapar process computing {Path.GetFileNameWithoutExtension(path)}");
                told = true;
            }
            cancel.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(100));
            cancel.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Releases the lock (the file stays).</summary>
    public void Dispose() => _stream.Dispose();
}
