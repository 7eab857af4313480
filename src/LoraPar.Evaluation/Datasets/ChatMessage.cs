using System.Text.Json;

namespace LoraPar.Evaluation.Datasets;

/// <summary>One turn of a chat conversation (the OpenAI / Hugging Face <c>messages</c> layout): a role and its text.</summary>
public sealed record ChatMessage(string Role, string Content)
{
    /// <summary>The roles a conversation may hold.</summary>
    public static IReadOnlyList<string> Roles { get; } = ["system", "user", "assistant"];

    /// <summary>
    /// The messages of a row's <paramref name="field"/>: a list of <c>{"role", "content"}</c> objects (JSONL, JSON, Parquet
    /// list of structs) or one cell holding such a JSON array (CSV). Errors name the file, the row and the field.
    /// </summary>
    public static IReadOnlyList<ChatMessage> Read(MappedRow row, string field)
    {
        var value = row.Value(field);
        var items = value.Items ?? ParseArray(row, field, value.Text!);
        return items.Select((item, i) => ParseMessage(row, field, item, i)).ToList();
    }

    private static IReadOnlyList<string> ParseArray(MappedRow row, string field, string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array) throw row.Wrong(field, "a text that is not a JSON array of messages");
            return document.RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList();
        }
        catch (JsonException)
        {
            throw row.Wrong(field, "a text that is not a JSON array of messages");
        }
    }

    private static ChatMessage ParseMessage(MappedRow row, string field, string json, int index)
    {
        var problem = $"a message {index} that is not an object with a \"role\" ({string.Join(", ", Roles)}) and a \"content\" text";
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String || !Roles.Contains(role.GetString())
                || !root.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
                throw row.Wrong(field, problem);
            return new ChatMessage(role.GetString()!, content.GetString()!);
        }
        catch (JsonException)
        {
            throw row.Wrong(field, problem);
        }
    }
}
