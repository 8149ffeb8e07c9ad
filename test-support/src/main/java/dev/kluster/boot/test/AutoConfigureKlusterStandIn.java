package dev.kluster.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Annotation for a Spring Boot test that should talk to a local {@link KlusterStandIn}
 * instead of kluster.ai. One stand-in runs per test application context: it starts when
 * the context is created and stops when the context closes. The context gets
 * {@code kluster.base-url} pointed at the stand-in, overriding any other value, and
 * {@code kluster.api-key=test-key}, also overriding a key from the application's own
 * configuration ({@code application.yml}, a {@code KLUSTER_API_KEY} environment
 * variable), unless the test itself sets one in its inlined properties
 * ({@code @SpringBootTest(properties = ...)} or {@code @TestPropertySource(properties = ...)}). The
 * stand-in is a bean, so tests can inject it to script answers, queue faults and assert
 * on the requests it received; it is {@linkplain KlusterStandIn#reset() reset} after
 * each test method.
 * <p>
 * The stand-in follows the application's validation settings: it refuses the fields that
 * {@code kluster.validation.unsupported-request-parameters} and
 * {@code kluster.validation.unsupported-message-parameters} name, except those that
 * {@code kluster.validation.allowed-parameters} allows, so that an application that allows
 * {@code tools} for its model can test them. {@code kluster.validation.mode} does not
 * count: with validation off, the stand-in still refuses what kluster.ai would.
 *
 * <pre class="code">
 * &#064;SpringBootTest
 * &#064;AutoConfigureKlusterStandIn
 * class AssistantServiceTests {
 *
 *     &#064;Autowired
 *     KlusterStandIn kluster;
 *
 *     &#064;Test
 *     void sendsTheQuestion(&#064;Autowired AssistantService service) {
 *         kluster.answer("Paris");
 *         assertThat(service.ask("Capital of France?")).isEqualTo("Paris");
 *         assertThat(kluster.lastRequest().json().path("messages").get(0).path("content").asString())
 *             .isEqualTo("Capital of France?");
 *     }
 *
 * }
 * </pre>
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureKlusterStandIn {

}
