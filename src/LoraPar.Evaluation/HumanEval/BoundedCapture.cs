using System.Text;

namespace LoraPar.Evaluation.HumanEval;

/// <summary>
/// Reads a stream to its end, keeping its first bytes up to a limit and its last few bytes, and dropping the rest (so the
/// writer never blocks however much it writes).
/// </summary>
internal sealed class BoundedCapture
{
    private readonly MemoryStream _kept = new();
    private readonly byte[] _tail;
    private readonly Task _reader;
    private long _total;
    private bool _truncated;

    /// <summary>Starts draining <paramref name="source"/>, keeping at most <paramref name="maxBytes"/> and the last <paramref name="tailBytes"/>.</summary>
    public BoundedCapture(Stream source, int maxBytes, int tailBytes = 0)
    {
        _tail = new byte[tailBytes];
        _reader = Task.Run(() => DrainAsync(source, maxBytes));
    }

    /// <summary>Waits up to <paramref name="wait"/> for the end of the stream; false when it had not ended by then.</summary>
    public bool WaitForEnd(TimeSpan wait) => _reader.Wait(wait);

    /// <summary>What was kept (marked when cut), without <paramref name="suffix"/> when the whole stream was kept and ends with it.</summary>
    public string Text(ReadOnlySpan<byte> suffix = default)
    {
        lock (_kept)
        {
            var kept = _kept.GetBuffer().AsSpan(0, (int)_kept.Length);
            if (!_truncated && kept.EndsWith(suffix)) kept = kept[..^suffix.Length];
            var text = Encoding.UTF8.GetString(kept);
            return _truncated ? text + "\n[output truncated]" : text;
        }
    }

    /// <summary>Whether the stream, as read so far, ends with <paramref name="suffix"/> (at most the tail length given at construction).</summary>
    public bool EndsWith(ReadOnlySpan<byte> suffix)
    {
        lock (_kept)
        {
            if (suffix.Length > _tail.Length || suffix.Length > _total) return false;
            var start = (int)((_total - suffix.Length) % _tail.Length);
            for (var i = 0; i < suffix.Length; i++)
                if (_tail[(start + i) % _tail.Length] != suffix[i]) return false;
            return true;
        }
    }

    private async Task DrainAsync(Stream source, int maxBytes)
    {
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer).ConfigureAwait(false)) > 0) Keep(buffer.AsSpan(0, read), maxBytes);
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

    private void Keep(ReadOnlySpan<byte> chunk, int maxBytes)
    {
        lock (_kept)
        {
            var keep = (int)Math.Min(chunk.Length, Math.Max(0, maxBytes - _kept.Length));
            _kept.Write(chunk[..keep]);
            _truncated |= keep < chunk.Length;
            if (_tail.Length > 0)
            {
                var last = chunk.Length > _tail.Length ? chunk[^_tail.Length..] : chunk;
                var offset = _total + chunk.Length - last.Length;
                for (var i = 0; i < last.Length; i++) _tail[(offset + i) % _tail.Length] = last[i];
            }
            _total += chunk.Length;
        }
    }
}
