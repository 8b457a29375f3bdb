using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SessionKinds.AgentFramework.Tests.Infrastructure;

/// <summary>A custom content type, as an application would add one.</summary>
public sealed class CardContent : AIContent
{
    public string? Title { get; set; }

    public int[]? Seats { get; set; }

    /// <summary>The default MEAI options plus this type, discriminator <c>card</c>.</summary>
    public static JsonSerializerOptions Options()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions);
        options.AddAIContentType<CardContent>("card");
        return options;
    }
}
