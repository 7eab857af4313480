using System.Text;

namespace LoraPar.Evaluation.HumanEval;

/// <summary>Reads a stream to its end, keeping at most a given number of bytes and dropping the rest (so the writer never blocks).</summary>
internal sealed class BoundedCapture
{
    private readonly MemoryStream _kept = new();
    private readonly Task _reader;
    private bool _truncated;

    public BoundedCapture(Stream source, int maxBytes) => _reader = Task.Run(() => DrainAsync(source, maxBytes));

    /// <summary>Waits up to <paramref name="wait"/> for the end of the stream and returns what was kept (marked when cut).</summary>
    public string Text(TimeSpan wait)
    {
        _reader.Wait(wait);
        lock (_kept)
        {
            var text = Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);
            return _truncated ? text + "\n[output truncated]" : text;
        }
    }

    private async Task DrainAsync(Stream source, int maxBytes)
    {
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                lock (_kept)
                {
                    var keep = (int)Math.Min(read, Math.Max(0, maxBytes - _kept.Length));
                    _kept.Write(buffer, 0, keep);
                    _truncated |= keep < read;
                }
            }
        }
        catch (IOException)
        {
            // The pipe broke because the process was killed: what was read so far is kept.
        }
        catch (ObjectDisposedException)
        {
            // Likewise, when the process object was disposed first.
        }
    }
}
