using System;
using System.Collections.Generic;
using MtkFlash.Core.Drives;
using MtkFlash.Core.Serialization;
using Xunit;

namespace MtkFlash.Tests.Serialization
{
    public class JsonTests
    {
        [Fact]
        public void Drive_serialises_with_camel_case_names_and_wire_enum_values()
        {
            var json = Json.Serialize(new OpticalDrive { Path = "virtual:a", Family = DriveFamily.LiteOn8051, State = DriveState.NoMedium, RawInquiry = new byte[] { 1 } });
            var o = Json.ParseObject(json);
            Assert.Equal("virtual:a", o["path"]);
            Assert.Equal("liteon-8051", o["family"]);
            Assert.Equal("noMedium", o["state"]);
            Assert.False(o.ContainsKey("rawInquiry"));
            foreach (var key in new[] { "path", "vendor", "product", "revision", "firmwareDate", "serialNumber", "location", "family", "state", "isVirtual", "canBackup", "canFlash" })
                Assert.True(o.ContainsKey(key), key);
        }

        [Fact]
        public void Strings_escape_and_round_trip()
        {
            var text = "quote\" back\\ nl\n tab\t ctl\u0001 é";
            var back = Json.Parse(Json.Serialize(new Dictionary<string, object> { ["s"] = text })) as Dictionary<string, object>;
            Assert.Equal(text, back["s"]);
        }

        [Theory]
        [InlineData("{")]
        [InlineData("{\"a\":}")]
        [InlineData("[1,2")]
        [InlineData("\"abc")]
        [InlineData("tru")]
        [InlineData("{} x")]
        public void Malformed_json_gives_a_format_exception_with_position(string text) =>
            Assert.Contains("position", Assert.Throws<FormatException>(() => Json.Parse(text)).Message);

        [Fact]
        public void Deep_nesting_is_refused_not_a_stack_overflow() =>
            Assert.Throws<FormatException>(() => Json.Parse(new string('[', 10000)));

        [Fact]
        public void Enum_parses_from_wire_name() => Assert.Equal(DriveFamily.LiteOn8051, Json.ParseEnum<DriveFamily>("liteon-8051"));
    }
}
