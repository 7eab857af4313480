using LoraPar.Core;
using LoraPar.Model.Tokenizers;

namespace LoraPar.Model.Tests.Tokenizers;

public sealed class ChatTemplateDetectionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("lorapar-chat-template").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Excerpts of the chat_template fields published with Llama-2-7b-chat-hf, Qwen2.5-7B-Instruct and zephyr-7b-beta.</summary>
    [Theory]
    [InlineData("{% for message in loop_messages %}{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% endif %}{% endfor %}", ChatTemplate.Llama2)]
    [InlineData("{%- for message in messages %}{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}{%- endfor %}", ChatTemplate.ChatMl)]
    public void Published_templates_are_recognised_by_their_turn_markers(string jinja, ChatTemplate expected) =>
        Assert.Equal(expected, ChatTemplateDetection.Recognise(jinja));

    [Fact]
    public void A_template_of_another_family_is_not_guessed()
    {
        Assert.Null(ChatTemplateDetection.Recognise("{% for message in messages %}{{ '<|user|>\\n' + message['content'] + eos_token }}{% endfor %}"));
        File.WriteAllText(Path.Combine(_dir, "tokenizer_config.json"), "{\"chat_template\":\"{{ '<|user|>' }}\"}");
        Assert.Contains("neither ChatML", Assert.Throws<BadInputException>(() => ChatTemplateDetection.OfCheckpoint(_dir)).Message);
    }

    [Fact]
    public void A_checkpoint_without_a_template_is_a_base_model_and_a_named_list_uses_its_default()
    {
        Assert.Equal(ChatTemplate.None, ChatTemplateDetection.OfCheckpoint(_dir));
        File.WriteAllText(Path.Combine(_dir, "tokenizer_config.json"), "{\"add_bos_token\":true}");
        Assert.Equal(ChatTemplate.None, ChatTemplateDetection.OfCheckpoint(_dir));
        File.WriteAllText(Path.Combine(_dir, "tokenizer_config.json"),
            "{\"chat_template\":[{\"name\":\"tool_use\",\"template\":\"[INST]\"},{\"name\":\"default\",\"template\":\"<|im_start|>\"}]}");
        Assert.Equal(ChatTemplate.ChatMl, ChatTemplateDetection.OfCheckpoint(_dir));
    }
}
