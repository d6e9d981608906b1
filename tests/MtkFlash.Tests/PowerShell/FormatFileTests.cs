using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Xml.Linq;
using MtkFlash.PowerShell;
using MtkFlash.Tests.Support;
using Xunit;

namespace MtkFlash.Tests.PowerShell
{
    /// <summary>The format file names real types and real properties (a typo would silently fall back to a list view).</summary>
    public class FormatFileTests
    {
        static readonly System.Reflection.Assembly Module = typeof(GetOpticalDriveCommand).Assembly;

        [Fact]
        public void Every_view_names_an_existing_type_and_existing_properties_and_its_Deserialized_twin()
        {
            var xml = XDocument.Load(Path.Combine(RepoRoot.Path, "src", "MtkFlash.PowerShell", "MtkFlash.format.ps1xml"));
            var views = xml.Descendants("View").ToList();
            Assert.True(views.Count >= 7);
            foreach (var view in views)
            {
                var names = view.Element("ViewSelectedBy").Elements("TypeName").Select(e => e.Value).ToList();
                var typeName = names.Single(n => !n.StartsWith("Deserialized.", StringComparison.Ordinal));
                var type = Module.GetType(typeName);
                Assert.True(type != null, "no type " + typeName);
                // Objects that come back from Start-Job / Invoke-Command are Deserialized.<type>: same table for them.
                Assert.Contains("Deserialized." + typeName, names);
                var headers = view.Descendants("TableColumnHeader").Count();
                var properties = view.Descendants("PropertyName").Select(p => p.Value).ToList();
                Assert.Equal(headers, view.Descendants("TableColumnItem").Count());   // one item (property or script) per column
                foreach (var p in properties) Assert.True(type.GetProperty(p) != null, typeName + " has no property " + p);
            }
            // The inventory's default table: Path, Vendor, Product, Revision, Family, State (issue 2).
            var drive = views.Single(v => v.Element("Name").Value == typeof(OpticalDriveInfo).FullName);
            Assert.Equal(new[] { "Path", "Vendor", "Product", "Revision", "Family", "State" }, drive.Descendants("PropertyName").Select(p => p.Value));
            // The image report names the drive it was checked against.
            var report = views.Single(v => v.Element("Name").Value == typeof(FirmwareImageInfo).FullName);
            Assert.Contains("Drive", report.Descendants("PropertyName").Select(p => p.Value));
        }

        [Fact]
        public void Every_output_type_has_a_view_and_only_flat_properties()
        {
            var xml = XDocument.Load(Path.Combine(RepoRoot.Path, "src", "MtkFlash.PowerShell", "MtkFlash.format.ps1xml"));
            var viewed = xml.Descendants("TypeName").Select(e => e.Value).ToHashSet();
            var outputs = Module.GetTypes()
                .SelectMany(t => t.GetCustomAttributesData().Where(a => a.AttributeType == typeof(OutputTypeAttribute)))
                .SelectMany(a => (System.Collections.ObjectModel.ReadOnlyCollection<System.Reflection.CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value)
                .Select(a => (Type)a.Value).Where(t => t != typeof(bool)).Distinct().ToList();
            Assert.True(outputs.Count >= 7, string.Join(", ", outputs));
            var flat = new[] { typeof(string), typeof(bool), typeof(bool?), typeof(int), typeof(int?), typeof(long), typeof(double), typeof(DateTime), typeof(DateTime?), typeof(TextList) };
            foreach (var type in outputs)
            {
                Assert.Equal("MtkFlash.PowerShell", type.Namespace);
                Assert.Contains(type.FullName, viewed);
                // What Export-Csv, ConvertTo-Json and remoting see: names for enums, no byte arrays, no nested objects.
                foreach (var p in type.GetProperties())
                    Assert.True(flat.Contains(p.PropertyType), type.Name + "." + p.Name + " is a " + p.PropertyType.Name);
            }
        }
    }
}
