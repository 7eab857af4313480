using System.Text.Json;
using LoraPar.Core;

namespace LoraPar.Model.Tokenizers;

/// <summary>
/// Which <see cref="ChatTemplate"/> a checkpoint's Jinja <c>chat_template</c> (tokenizer_config.json) is, told by its turn
/// markers: ChatML's <c>&lt;|im_start|&gt;</c>, LLaMA-2's <c>[INST]</c>. lorapar renders those two itself; it runs no Jinja.
/// </summary>
public static class ChatTemplateDetection
{
    /// <summary>The template <paramref name="jinja"/> writes, or null when it is neither ChatML nor LLaMA-2.</summary>
    public static ChatTemplate? Recognise(string jinja) =>
        jinja.Contains("<|im_start|>", StringComparison.Ordinal) ? ChatTemplate.ChatMl
        : jinja.Contains("[INST]", StringComparison.Ordinal) ? ChatTemplate.Llama2
        : null;

    /// <summary>
    /// The chat template of the checkpoint in <paramref name="folder"/>: <see cref="ChatTemplate.None"/> when its
    /// tokenizer_config.json declares none (a base model); a <see cref="BadInputException"/> when it declares one lorapar
    /// does not render.
    /// </summary>
    public static ChatTemplate OfCheckpoint(string folder) => OfTokenizerConfig(Path.Combine(folder, TokenizerLoader.TokenizerConfigFile));

    /// <summary>The chat template a tokenizer_config.json declares (see <see cref="OfCheckpoint"/>); none when the file is absent.</summary>
    public static ChatTemplate OfTokenizerConfig(string path)
    {
        if (JinjaOf(path) is not { } jinja) return ChatTemplate.None;
        return Recognise(jinja) ?? throw new BadInputException(
            $"{path}: the chat_template is neither ChatML (<|im_start|>) nor LLaMA-2 ([INST]); set data.chat_template to none, llama-2 or chatml");
    }

    /// <summary>The Jinja text of tokenizer_config.json's <c>chat_template</c> (a string, or the "default" of a named list), or null.</summary>
    public static string? JinjaOf(string tokenizerConfigPath)
    {
        if (!File.Exists(tokenizerConfigPath)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(tokenizerConfigPath));
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("chat_template", out var template)) return null;
            return template.ValueKind switch
            {
                JsonValueKind.String => template.GetString(),
                JsonValueKind.Array => template.EnumerateArray()
                    .Where(t => t.TryGetProperty("name", out var n) && n.GetString() == "default")
                    .Select(t => t.GetProperty("template").GetString()).FirstOrDefault(),
                _ => null,
            };
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{tokenizerConfigPath}: not valid JSON ({e.Message})", e);
        }
    }
}
