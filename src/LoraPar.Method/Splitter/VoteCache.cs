using System.Text.Json;
using LoraPar.Core;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Win32.SafeHandles;

namespace LoraPar.Method.Splitter;

/// <summary>Key of one cached answer: hashes of the teacher's identity and of the exact prompt it was given.</summary>
public readonly record struct VoteCacheKey(string Teacher, string Prompt)
{
    /// <summary>The key of <paramref name="teacher"/>'s answer to <paramref name="item"/>.</summary>
    public static VoteCacheKey For(ITeacher teacher, SplitterItem item) =>
        new(StableHash.Sha256Hex(teacher.Identity), StableHash.Sha256Hex(teacher.PromptText(item)));
}

/// <summary>
/// One cached ask: the reply and its vote, what became of it (<see cref="AnswerStatus.Answered"/>,
/// <see cref="AnswerStatus.Unparseable"/> or <see cref="AnswerStatus.Failed"/>, with the error), and how often the question has
/// been put to the teacher so far. Only an answer that names a system is final by itself; an abstention is asked again on a
/// later run until it has been asked <c>1 + max_reasks</c> times (<see cref="IsFinal"/>).
/// </summary>
public sealed record CachedAsk(string Raw, Vote Vote, AnswerStatus Status, int Asks, string? Error = null)
{
    /// <summary>A reply the teacher gave on its <paramref name="asks"/>-th ask.</summary>
    public static CachedAsk Of(TeacherAnswer answer, int asks) =>
        new(answer.Raw, answer.Vote, answer.Vote == Vote.Abstain ? AnswerStatus.Unparseable : AnswerStatus.Answered, asks);

    /// <summary>Whether the question is settled: a real vote, or an abstention after <c>1 + <paramref name="maxReasks"/></c> asks.</summary>
    public bool IsFinal(int maxReasks) => Status == AnswerStatus.Answered || Asks > maxReasks;
}

/// <summary>
/// A persistent cache of teacher answers, so that an interrupted run resumes without asking any teacher the same question
/// twice. On disk it is append-only JSONL, one answer per line, written with one positioned write each (a killed process
/// loses at most the line it was writing); a later line for the same key (a re-asked abstention) replaces the earlier one. Opening tolerates a torn last line (cut off) and skips corrupt lines.
/// The file is held exclusively while open, so two runs never interleave appends. An in-memory cache
/// (Microsoft.Extensions.Caching.Memory) sits in front of the disk for recently read or written answers; the disk holds only
/// an index (key → offset) in memory, so raw answers of long reasoning teachers do not all stay resident.
/// </summary>
public sealed class VoteCache : IDisposable
{
    private static readonly JsonSerializerOptions Json = SplitterJson.Options;
    private readonly SafeFileHandle _handle;
    private readonly Dictionary<VoteCacheKey, (long Offset, int Length)> _index = [];
    private readonly MemoryCache _memory;
    private readonly Lock _lock = new();
    private long _end;

    private VoteCache(string path, SafeFileHandle handle, int memoryEntries)
    {
        FilePath = path;
        _handle = handle;
        _memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = memoryEntries });
    }

    /// <summary>The cache file.</summary>
    public string FilePath { get; }

    /// <summary>Lines dropped when the file was opened: a torn last line or corrupt lines.</summary>
    public int DroppedLines { get; private set; }

    /// <summary>Answers in the cache.</summary>
    public int Count
    {
        get { lock (_lock) return _index.Count; }
    }

    /// <summary>
    /// Opens (or creates) the cache at <paramref name="path"/>, keeping up to <paramref name="memoryEntries"/> answers in memory.
    /// Throws <see cref="JobFailedException"/> when another run holds the file.
    /// </summary>
    public static VoteCache Open(string path, int memoryEntries = 4096)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(full, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new JobFailedException(
                $"the vote cache {full} is in use by another lorapar run; wait for that run to finish, then run again", e);
        }
        var cache = new VoteCache(full, handle, Math.Max(memoryEntries, 1));
        try
        {
            cache.Load();
            return cache;
        }
        catch
        {
            cache.Dispose();
            throw;
        }
    }

    /// <summary>Looks up a cached ask.</summary>
    public bool TryGet(VoteCacheKey key, out CachedAsk answer)
    {
        if (_memory.TryGetValue(key, out CachedAsk? hit) && hit is not null)
        {
            answer = hit;
            return true;
        }
        byte[] line;
        lock (_lock)
        {
            if (!_index.TryGetValue(key, out var at))
            {
                answer = null!;
                return false;
            }
            line = new byte[at.Length];
            RandomAccess.Read(_handle, line, at.Offset);
        }
        answer = JsonSerializer.Deserialize<CacheLine>(line, Json)!.ToAsk();
        Remember(key, answer);
        return true;
    }

    /// <summary>Appends an ask (durable against a killed process as soon as this returns); it replaces an earlier one of the key.</summary>
    public void Add(VoteCacheKey key, CachedAsk answer)
    {
        var line = new CacheLine(key.Teacher, key.Prompt, answer.Vote, answer.Raw, answer.Status, answer.Asks, answer.Error);
        var json = JsonSerializer.SerializeToUtf8Bytes(line, Json);
        var bytes = new byte[json.Length + 1];
        json.CopyTo(bytes, 0);
        bytes[^1] = (byte)'\n';
        lock (_lock)
        {
            RandomAccess.Write(_handle, bytes, _end);
            _index[key] = (_end, json.Length);
            _end += bytes.Length;
        }
        Remember(key, answer);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            if (!_handle.IsClosed)
            {
                RandomAccess.FlushToDisk(_handle);
                _handle.Dispose();
            }
        }
        _memory.Dispose();
    }

    private void Remember(VoteCacheKey key, CachedAsk answer) =>
        _memory.Set(key, answer, new MemoryCacheEntryOptions { Size = 1 });

    private void Load()
    {
        var length = RandomAccess.GetLength(_handle);
        var bytes = new byte[length];
        var read = 0;
        while (read < length) read += RandomAccess.Read(_handle, bytes.AsSpan(read), read);
        long start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != (byte)'\n') continue;
            IndexLine(bytes.AsSpan((int)start, i - (int)start), start);
            start = i + 1;
        }
        if (start < length)
        {
            // A torn last line: the process died while writing it. Cut it off so the next append starts on a clean line.
            DroppedLines++;
            RandomAccess.SetLength(_handle, start);
        }
        _end = start;
    }

    private void IndexLine(ReadOnlySpan<byte> line, long offset)
    {
        if (line.Trim(" \t\r"u8).IsEmpty) return;
        try
        {
            var entry = JsonSerializer.Deserialize<CacheLine>(line, Json);
            if (entry is { Teacher.Length: > 0, Prompt.Length: > 0, Raw: not null } && Enum.IsDefined(entry.Vote))
            {
                _index[new VoteCacheKey(entry.Teacher, entry.Prompt)] = (offset, line.Length);
                return;
            }
        }
        catch (JsonException)
        {
        }
        DroppedLines++;
    }

    /// <summary>One line on disk. Lines written before statuses were recorded have neither: a vote is an answer, an abstention one unparseable ask.</summary>
    private sealed record CacheLine(
        string Teacher, string Prompt, Vote Vote, string Raw, AnswerStatus? Status = null, int Asks = 1, string? Error = null)
    {
        public CachedAsk ToAsk() => new(Raw, Vote, Status ?? (Vote == Vote.Abstain ? AnswerStatus.Unparseable : AnswerStatus.Answered),
            Math.Max(Asks, 1), Error);
    }
}
