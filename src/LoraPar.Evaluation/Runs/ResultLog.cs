using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LoraPar.Core;

namespace LoraPar.Evaluation.Runs;

/// <summary>
/// An append-only JSONL file of per-example results that makes an evaluation resumable: opening it reads the records already
/// there (a torn last line, left by an interrupted run, is cut off), and each new record is appended and flushed at once.
/// </summary>
public sealed class ResultLog<T> : IDisposable where T : IEvalRecord
{
    /// <summary>The JSON form of records: snake_case names, enums as strings, one record per line.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    private readonly Lock _gate = new();
    private readonly FileStream _stream;
    private readonly Dictionary<string, T> _records;

    private ResultLog(FileStream stream, Dictionary<string, T> records)
    {
        _stream = stream;
        _records = records;
    }

    /// <summary>The file's path.</summary>
    public string Path => _stream.Name;

    /// <summary>The records present, by id (those read at opening and those appended since).</summary>
    public IReadOnlyDictionary<string, T> Records
    {
        get { lock (_gate) return new Dictionary<string, T>(_records); }
    }

    /// <summary>Opens (creating if needed) the results file at <paramref name="path"/> and reads the records already in it.</summary>
    public static ResultLog<T> Open(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var records = ReadAndRepair(stream, path);
            stream.Seek(0, SeekOrigin.End);
            return new ResultLog<T>(stream, records);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The records of a finished results file (e.g. one published in an artifact), read without opening it for writing; a
    /// line that is not a record is bad input naming its file and line.
    /// </summary>
    public static Dictionary<string, T> ReadAll(string path)
    {
        var records = new Dictionary<string, T>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var record = Parse(Encoding.UTF8.GetBytes(line), out var error);
            if (record is not null) records[record.Id] = record;
            else if (!string.IsNullOrWhiteSpace(line))
                throw new BadInputException($"{path}:{lineNumber}: not a result record ({error}); re-run the stage that wrote it");
        }
        return records;
    }

    /// <summary>Appends <paramref name="record"/> as one line and flushes it; an id already present is an error.</summary>
    public void Append(T record)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(record, JsonOptions);
        lock (_gate)
        {
            if (!_records.TryAdd(record.Id, record))
                throw new InvalidOperationException($"{Path}: a result for '{record.Id}' is already present");
            _stream.Write(line);
            _stream.WriteByte((byte)'\n');
            _stream.Flush();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();

    private static Dictionary<string, T> ReadAndRepair(FileStream stream, string path)
    {
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        var records = new Dictionary<string, T>(StringComparer.Ordinal);
        var start = 0;
        var lineNumber = 0;
        while (start < bytes.Length)
        {
            lineNumber++;
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            var complete = end >= 0;
            var line = bytes.AsSpan(start, (complete ? end : bytes.Length) - start);
            var record = Parse(line, out var error);
            if (record is null && !complete)
            {
                stream.SetLength(start); // a torn last line: the interrupted run's last write, cut off
                break;
            }
            if (record is null && !line.Trim((byte)'\r').IsEmpty)
                throw new BadInputException($"{path}:{lineNumber}: not a result record ({error}); delete the file to start the evaluation afresh");
            if (record is not null) records[record.Id] = record;
            if (!complete) AppendNewline(stream);
            start = complete ? end + 1 : bytes.Length;
        }
        return records;
    }

    private static T? Parse(ReadOnlySpan<byte> line, out string error)
    {
        error = "";
        if (line.Trim((byte)'\r').IsEmpty) return default;
        try
        {
            var record = JsonSerializer.Deserialize<T>(line, JsonOptions);
            if (record is null || string.IsNullOrEmpty(record.Id)) error = "no id";
            return string.IsNullOrEmpty(record?.Id) ? default : record;
        }
        catch (JsonException e)
        {
            error = e.Message;
            return default;
        }
    }

    private static void AppendNewline(FileStream stream)
    {
        stream.Seek(0, SeekOrigin.End);
        stream.Write(Encoding.ASCII.GetBytes("\n"));
        stream.Flush();
    }
}
