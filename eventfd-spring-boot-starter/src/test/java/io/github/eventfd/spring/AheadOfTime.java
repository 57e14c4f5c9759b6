package io.github.eventfd.spring;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.io.InputStreamSource;
import org.springframework.javapoet.ClassName;
import org.springframework.util.ClassUtils;

/**
 * Ahead-of-time processing of an application context in a test, as the build's {@code process-aot} does it, and
 * contexts started from the code it generates, as {@code -Dspring.aot.enabled=true} starts them.
 *
 * <p>The generated sources are compiled in memory and each class is defined in the class loader and package of
 * the classes it was generated for (generated code may use their package-private members). Class names carry a
 * prefix of their own per processing, so one JVM can process any number of contexts.
 */
public final class AheadOfTime {

    private static final AtomicInteger processed = new AtomicInteger();

    private final Class<ApplicationContextInitializer<GenericApplicationContext>> initializer;

    private final RuntimeHints hints;

    private AheadOfTime(Class<ApplicationContextInitializer<GenericApplicationContext>> initializer,
            RuntimeHints hints) {
        this.initializer = initializer;
        this.hints = hints;
    }

    /**
     * Process a context that has bean definitions but was not refreshed.
     * @param context the context, for example from {@code ApplicationContextRunner.prepare}
     * @param target a class of the test, in whose package the initializer is generated
     * @return the result, to start contexts from
     */
    public static AheadOfTime process(GenericApplicationContext context, Class<?> target) {
        InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
        DefaultGenerationContext generation = new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get(target), "Aot" + processed.incrementAndGet()), files);
        ClassName initializer;
        // as the build's processors (AbstractAotProcessor) say to the conditions that they run
        System.setProperty(AbstractAotProcessor.AOT_PROCESSING, "true");
        try {
            initializer = new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
        }
        finally {
            System.clearProperty(AbstractAotProcessor.AOT_PROCESSING);
        }
        generation.writeGeneratedContent();
        Map<String, Class<?>> packages = knownPackages(context.getBeanFactory(), target);
        Map<String, String> sources = new LinkedHashMap<>();
        contents(files, Kind.SOURCE)
            .forEach((path, bytes) -> sources.put(path, new String(bytes, StandardCharsets.UTF_8)));
        Map<String, byte[]> classes = compile(sources);
        // classes generated as bytecode, such as CGLIB proxies of configuration classes
        contents(files, Kind.CLASS).forEach((path, bytes) -> classes.put(binaryName(path), bytes));
        classes.forEach((name, bytes) -> define(name, bytes, packages));
        try {
            @SuppressWarnings("unchecked")
            Class<ApplicationContextInitializer<GenericApplicationContext>> type =
                    (Class<ApplicationContextInitializer<GenericApplicationContext>>) Class.forName(
                            initializer.reflectionName(), true, target.getClassLoader());
            return new AheadOfTime(type, generation.getRuntimeHints());
        }
        catch (ClassNotFoundException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * The hints the processing registered, as written for a native image.
     * @return the hints
     */
    public RuntimeHints hints() {
        return this.hints;
    }

    /**
     * Start a context from the generated code, with nothing but these properties in its environment.
     * @param properties {@code name=value} pairs
     * @return the refreshed context, to close
     */
    public GenericApplicationContext start(String... properties) {
        GenericApplicationContext context = new GenericApplicationContext();
        // as SpringApplication sets it: a bean defined twice fails
        context.setAllowBeanDefinitionOverriding(false);
        TestPropertyValues.of(properties).applyTo(context);
        try {
            this.initializer.getDeclaredConstructor().newInstance().initialize(context);
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(ex);
        }
        context.refresh();
        return context;
    }

    /** A class of each package the generated code may go into: those of the beans, their factories and the test. */
    private static Map<String, Class<?>> knownPackages(ConfigurableListableBeanFactory beanFactory, Class<?> target) {
        Map<String, Class<?>> packages = new HashMap<>();
        packages.put(target.getPackageName(), target);
        for (String name : beanFactory.getBeanDefinitionNames()) {
            BeanDefinition definition = beanFactory.getMergedBeanDefinition(name);
            List<String> classNames = new ArrayList<>();
            classNames.add(definition.getBeanClassName());
            if (definition.getFactoryBeanName() != null) {
                classNames.add(beanFactory.getMergedBeanDefinition(definition.getFactoryBeanName()).getBeanClassName());
            }
            Class<?> type = beanFactory.getType(name, false);
            if (type != null) {
                classNames.add(ClassUtils.getUserClass(type).getName());
            }
            for (String className : classNames) {
                if (className != null && ClassUtils.isPresent(className, target.getClassLoader())) {
                    Class<?> found = ClassUtils.resolveClassName(className, target.getClassLoader());
                    packages.putIfAbsent(found.getPackageName(), found);
                }
            }
        }
        return packages;
    }

    private static void define(String name, byte[] bytes, Map<String, Class<?>> packages) {
        String packageName = ClassUtils.getPackageName(name);
        Class<?> neighbour = packages.get(packageName);
        if (neighbour == null) {
            throw new IllegalStateException("no known class in package " + packageName + " to define " + name);
        }
        try {
            MethodHandles.privateLookupIn(neighbour, MethodHandles.lookup()).defineClass(bytes);
        }
        catch (IllegalAccessException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static Map<String, byte[]> contents(InMemoryGeneratedFiles files, Kind kind) {
        Map<String, byte[]> contents = new LinkedHashMap<>();
        files.getGeneratedFiles(kind).forEach((path, source) -> contents.put(path, bytes(source)));
        return contents;
    }

    private static byte[] bytes(InputStreamSource source) {
        try (InputStream in = source.getInputStream()) {
            return in.readAllBytes();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String binaryName(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }

    /** Compile sources against this JVM's class path. */
    private static Map<String, byte[]> compile(Map<String, String> sources) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no Java compiler in this JVM: run the tests on a JDK");
        }
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((path, text) -> units.add(new Source(path, text)));
        Map<String, ByteArrayOutputStream> output = new LinkedHashMap<>();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileManager standard = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8);
        JavaFileManager inMemory = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                    FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension),
                        kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return output.computeIfAbsent(className, name -> new ByteArrayOutputStream());
                    }
                };
            }
        };
        List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-proc:none",
                "-parameters", "-nowarn");
        boolean compiled = compiler.getTask(null, inMemory, diagnostics, options, null, units).call();
        if (!compiled) {
            throw new IllegalStateException("generated code does not compile: " + diagnostics.getDiagnostics());
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        output.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
        return classes;
    }

    /** A source file held in memory. */
    private static final class Source extends SimpleJavaFileObject {

        private final String text;

        Source(String path, String text) {
            super(URI.create("mem:///" + path), JavaFileObject.Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return this.text;
        }
    }
}
