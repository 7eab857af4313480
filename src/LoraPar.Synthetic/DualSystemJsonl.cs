using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LoraPar.Core;

namespace LoraPar.Synthetic;

/// <summary>
/// Reads and writes the task as JSONL, one object per line with the keys in this order:
/// <c>{"id": …, "system": 1|2, "kind": …, "question": …, "answer": …}</c>. UTF-8 without BOM, <c>\n</c> line ends,
/// characters such as <c>&lt;</c> and <c>+</c> written literally (as in GSM8K's own files). Writes are atomic.
/// </summary>
public static class DualSystemJsonl
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Writes <c>train.jsonl</c> and <c>eval.jsonl</c> into <paramref name="directory"/>; returns their paths.</summary>
    public static (string Train, string Eval) WriteSplits(string directory, DualSystemTask task)
    {
        var train = Path.Combine(directory, "train.jsonl");
        var eval = Path.Combine(directory, "eval.jsonl");
        Write(train, task.Train);
        Write(eval, task.Eval);
        return (train, eval);
    }

    /// <summary>Atomically writes <paramref name="items"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, IEnumerable<DualSystemItem> items) => AtomicFile.Write(path, stream =>
    {
        foreach (var item in items)
        {
            stream.Write(Serialize(item));
            stream.WriteByte((byte)'\n');
        }
    });

    /// <summary>One JSON line (without its line end) as UTF-8 bytes.</summary>
    public static byte[] Serialize(DualSystemItem item)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("id", item.Id);
            json.WriteNumber("system", (int)item.System);
            json.WriteString("kind", item.Kind.ToName());
            json.WriteString("question", item.Question);
            json.WriteString("answer", item.Answer);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Reads a task file; a malformed row is a <see cref="BadInputException"/> naming <c>file:line</c>.</summary>
    public static IReadOnlyList<DualSystemItem> Read(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: file not found. Generate the synthetic task first (the data stage writes it).");
        var items = new List<DualSystemItem>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            items.Add(Parse(line, $"{path}:{lineNumber}"));
        }
        return items;
    }

    /// <summary>Parses one JSON line; <paramref name="where"/> names it in error messages.</summary>
    public static DualSystemItem Parse(string line, string where)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var id = Text(root, "id", where);
            var systemNumber = root.TryGetProperty("system", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : 0;
            if (!Enum.IsDefined((ReasoningSystem)systemNumber))
                throw new BadInputException($"{where}: field 'system' must be 1 or 2. Regenerate the file or fix the row.");
            var kindName = Text(root, "kind", where);
            var kind = TaskKindNames.Parse(kindName)
                ?? throw new BadInputException($"{where}: unknown kind '{kindName}'; expected one of " +
                                               string.Join(", ", Enum.GetValues<TaskKind>().Select(k => k.ToName())) + ".");
            var answer = Text(root, "answer", where);
            var final = Gsm8kAnswer.TryParseFinal(answer)
                ?? throw new BadInputException($"{where}: field 'answer' must end with a line '#### N' (an integer).");
            return new DualSystemItem(id, (ReasoningSystem)systemNumber, kind, Text(root, "question", where), answer, final);
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{where}: not a JSON object ({e.Message}). Each line must be one JSON object.", e);
        }
    }

    private static string Text(JsonElement root, string name, string where) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new BadInputException($"{where}: missing string field '{name}'.");
}
